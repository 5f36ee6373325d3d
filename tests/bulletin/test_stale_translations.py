"""Stale translations are a warning before approving, publishing and sending,
and an editor or translator can mark one still current (recorded)."""

import pytest
from django.urls import reverse

from bulletin import services
from bulletin.models import Article
from newsletter.models import Dispatch
from tests.factories import ArticleFactory, editor, published_issue

pytestmark = pytest.mark.django_db


def with_stale_belarusian(**kwargs):
    article = ArticleFactory(**kwargs)
    article.body_en = "<p>A comma fixed in the source.</p>"
    article.save()
    article = Article.objects.get(pk=article.pk)
    assert article.translation_state("be") == "stale"
    assert article.translation_state("ru") == "stale"
    return article


def test_approve_warns_and_mark_current_clears_it(client):
    boss = editor("stale-editor")
    client.force_login(boss)
    article = with_stale_belarusian()
    services.article_submit(article=article, user=boss)
    workflow = reverse("admin:bulletin_article_workflow", args=[article.pk])

    page = client.post(workflow, {"action": "approve"}).content.decode()
    assert "Warning: stale translations" in page and "Belarusian, Russian" in page
    assert Article.objects.get(pk=article.pk).status == "review"

    change = client.get(reverse("admin:bulletin_article_change", args=[article.pk]))
    assert "Mark the Belarusian translation still current" in change.content.decode()
    client.post(workflow, {"action": "current_be"})
    client.post(workflow, {"action": "current_ru"})
    article = Article.objects.get(pk=article.pk)
    assert article.translation_state("be") == "ready" and article.translation_state("ru") == "ready"
    step = article.transitions.first()
    assert step.user == boss and "marked still current" in step.comment

    response = client.post(workflow, {"action": "approve"})  # nothing stale: no question
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).status == "approved"
    # Not stale any more: marking again is a message, not an error.
    response = client.post(workflow, {"action": "current_be"}, follow=True)
    assert "is not stale" in response.content.decode()


def test_publishing_and_sending_list_stale_translations(client):
    boss = editor("stale-sender")
    client.force_login(boss)
    issue = published_issue(1, user=boss)
    article = issue.articles.get()
    article.body_en = "<p>Changed after the translations.</p>"
    article.save()
    page = client.get(reverse("admin:bulletin_issue_change", args=[issue.pk])).content.decode()
    assert "Stale Belarusian translations" in page
    confirm = client.post(reverse("admin:newsletter_action", args=[issue.pk, "be", "send_now"]))
    assert "Warning: stale translations" in confirm.content.decode()
    assert Dispatch.objects.get(issue=issue, language="be").status == "scheduled"


def test_publishing_a_late_article_asks_first(client):
    boss = editor("late-editor")
    client.force_login(boss)
    issue = published_issue(1, user=boss)
    late = with_stale_belarusian(issue=issue)
    services.article_submit(article=late, user=boss)
    services.article_approve(article=late, user=boss)
    workflow = reverse("admin:bulletin_article_workflow", args=[late.pk])
    page = client.post(workflow, {"action": "publish"}).content.decode()
    assert f"goes live in issue {issue.number}, in: English, Belarusian, Russian" in page
    assert "Warning: stale translations" in page
    assert Article.objects.get(pk=late.pk).status == "approved"
    client.post(workflow, {"action": "publish", "confirmed": "1"})
    assert Article.objects.get(pk=late.pk).status == "published"
