"""Links that were sent keep working: a published article's old address
answers 301 to the new one, in every language, after any number of moves."""

import pytest
from django.urls import reverse

from bulletin.models import Article, ArticleOldURL
from tests.factories import editor, published_issue

pytestmark = pytest.mark.django_db


def edit(client, article, **changes):
    data = {
        "issue": article.issue_id, "topic": article.topic_id, "slug": article.slug,
        "trend": article.trend, "bylines-TOTAL_FORMS": "0", "bylines-INITIAL_FORMS": "0",
        "position": article.position,
        **{f"{f}_{c}": getattr(article, f"{f}_{c}") or ""
           for c in ("en", "be", "ru") for f in ("title", "lead", "body")},
        "opened_version": article.version, "correction_reason": "The address changed.",
        **changes, "_save": "Save",
    }
    response = client.post(reverse("admin:bulletin_article_change", args=[article.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Article.objects.get(pk=article.pk)


def test_slug_and_issue_changes_keep_every_old_address(client):
    boss = editor("slug-editor")
    client.force_login(boss)
    issue = published_issue(1, user=boss)
    article = issue.articles.get()
    first = {code: article.url_in(code) for code in ("en", "be", "ru")}
    article = edit(client, article, slug="renamed")
    second = article.url_in("en")
    other_issue = published_issue(1, user=boss)  # a later issue, already out
    article = edit(client, article, issue=other_issue.pk, slug="moved-again")
    client.logout()

    now = {code: article.url_in(code) for code in ("en", "be", "ru")}
    assert f"/issues/{other_issue.number}/moved-again/" in now["en"]
    for code, old in first.items():
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == now[code]
    response = client.get(second)
    assert response.status_code == 301 and response["Location"] == now["en"]
    assert client.get(now["be"]).status_code == 200
    assert ArticleOldURL.objects.filter(article=article).count() == 2
    assert client.get(f"/en/issues/{issue.number}/never-existed/").status_code == 404


def test_a_draft_renamed_leaves_no_redirect(client):
    boss = editor("draft-slug-editor")
    client.force_login(boss)
    issue = published_issue(1, user=boss)
    draft = issue.articles.get()
    Article.objects.filter(pk=draft.pk).update(status="draft", published_at=None)
    draft = Article.objects.get(pk=draft.pk)
    edit(client, draft, slug="draft-renamed")
    assert not ArticleOldURL.objects.exists()
