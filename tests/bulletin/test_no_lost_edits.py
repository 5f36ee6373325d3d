"""Nothing an analyst or editor does in the admin loses work: workflow buttons
save the form first, a stale page gives the text back, analysts withdraw and
delete their own drafts, deleting keeps the history, publishing asks first."""

import pytest
from django.urls import reverse

from bulletin import services
from bulletin.models import Article, Transition
from tests.factories import ArticleFactory, IssueFactory, TopicFactory, analyst, editor

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:bulletin_article_change", args=[article.pk])


def change_form(article, **overrides):
    """The change form as the browser posts it."""
    data = {
        "issue": article.issue_id, "topic": article.topic_id, "slug": article.slug,
        "trend": article.trend, "bylines-TOTAL_FORMS": "0", "bylines-INITIAL_FORMS": "0",
        "position": article.position,
    }
    for code in ("en", "be", "ru"):
        for field in ("title", "lead", "body"):
            data[f"{field}_{code}"] = getattr(article, f"{field}_{code}") or ""
    data.update(overrides)
    return data


@pytest.fixture
def author(client):
    user = analyst("author")
    client.force_login(user)
    return user


def own_draft(user, **kwargs):
    return ArticleFactory(created_by=user, **kwargs)


def test_submit_saves_the_typed_text_first(client, author):
    article = own_draft(author)
    page = client.get(change_url(article)).content.decode()
    assert 'form="article_form" name="_workflow" value="submit"' in page

    response = client.post(change_url(article), change_form(
        article, title_en="The new title", body_en="<p>New text.</p>", _workflow="submit"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title_en == "The new title"
    assert article.body_en == "<p>New text.</p>"
    assert article.status == "review"
    shown = [str(m) for m in response.wsgi_request._messages]
    assert "Your changes were saved." in shown
    assert any("is now in review" in m for m in shown)


def test_a_form_with_errors_is_shown_again_and_nothing_moves(client, author):
    article = own_draft(author)
    response = client.post(change_url(article), change_form(
        article, title_en="Kept title", slug="not a slug!", _workflow="submit"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "errornote" in page and "Kept title" in page  # the typed text is still there
    article.refresh_from_db()
    assert article.status == "draft" and article.title_en != "Kept title"


def test_a_failing_action_still_keeps_the_saved_text(client, author):
    article = own_draft(author)
    blank = {f"{f}_{c}": "" for f in ("lead", "body") for c in ("en", "be", "ru")}
    response = client.post(change_url(article), change_form(
        article, title_en="Only a title", **blank, _workflow="submit"), follow=True)
    page = response.content.decode()
    assert "complete at least one before submitting" in page
    article.refresh_from_db()
    assert article.title_en == "Only a title" and article.status == "draft"


def test_a_stale_page_or_second_click_gives_the_text_back(client, author):
    article = own_draft(author)
    client.post(change_url(article), change_form(article, _workflow="submit"))
    # The same page posted again (a double click, or a tab left open).
    response = client.post(change_url(article), change_form(
        article, body_en="<p>Typed later.</p>", _workflow="submit"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Not saved" in page and "&lt;p&gt;Typed later.&lt;/p&gt;" in page
    assert Article.objects.get(pk=article.pk).status == "review"
    assert article.transitions.filter(to_status="review").count() == 1


def test_author_withdraws_their_submission_and_edits_again(client, author):
    article = own_draft(author)
    services.article_submit(article=article, user=author)
    page = client.get(change_url(article)).content.decode()
    assert "Withdraw from review" in page
    response = client.post(reverse("admin:bulletin_article_workflow", args=[article.pk]),
                           {"action": "withdraw"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == "draft"
    assert article.transitions.first().comment == "Withdrawn from review by the author."
    assert client.post(change_url(article), change_form(article, title_en="Again")).status_code \
        == 302


def test_another_analyst_cannot_withdraw(client, author):
    article = ArticleFactory(created_by=analyst("someone-else"))
    services.article_submit(article=article, user=article.created_by)
    assert "Withdraw from review" not in client.get(change_url(article)).content.decode()
    response = client.post(reverse("admin:bulletin_article_workflow", args=[article.pk]),
                           {"action": "withdraw"})
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).status == "review"


def test_analyst_deletes_their_own_draft_and_the_history_stays(client, author):
    article = own_draft(author, title_en="Short-lived draft")
    services.article_submit(article=article, user=author)
    services.article_withdraw(article=article, user=author)
    issue = article.issue
    delete_url = reverse("admin:bulletin_article_delete", args=[article.pk])
    assert client.get(delete_url).status_code == 200
    response = client.post(delete_url, {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()
    history = list(issue.transitions.values_list("article_label", "from_status", "to_status"))
    assert ("Short-lived draft", "draft", Transition.DELETED) in history
    assert ("Short-lived draft", "draft", "review") in history


def test_what_analysts_and_editors_may_not_delete(client, author):
    others = ArticleFactory(created_by=analyst("other"))
    in_review = own_draft(author)
    services.article_submit(article=in_review, user=author)
    for article in (others, in_review):
        url = reverse("admin:bulletin_article_delete", args=[article.pk])
        assert client.post(url, {"post": "yes"}).status_code == 403
        assert Article.objects.filter(pk=article.pk).exists()
    boss = editor("deleting-editor")
    was_published = ArticleFactory()
    for step in (services.article_submit, services.article_approve):
        step(article=was_published, user=boss)
    services.issue_publish(issue=was_published.issue, user=boss)
    services.article_unpublish(article=Article.objects.get(pk=was_published.pk), user=boss,
                               comment="correction")
    client.force_login(boss)
    url = reverse("admin:bulletin_article_delete", args=[was_published.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403  # its links were sent
    url = reverse("admin:bulletin_article_delete", args=[in_review.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302  # never published: editors may
    assert not Article.objects.filter(pk=in_review.pk).exists()


def test_bulk_delete_follows_the_same_rule(client, author):
    mine = own_draft(author)
    others = ArticleFactory(created_by=analyst("other"))
    changelist = reverse("admin:bulletin_article_changelist")
    # A selection with something they may not delete is refused as a whole.
    response = client.post(changelist, {
        "action": "delete_selected", "_selected_action": [mine.pk, others.pk], "post": "yes",
    })
    assert response.status_code == 403
    assert Article.objects.filter(pk__in=[mine.pk, others.pk]).count() == 2
    response = client.post(changelist, {
        "action": "delete_selected", "_selected_action": [mine.pk], "post": "yes",
    })
    assert response.status_code == 302
    assert not Article.objects.filter(pk=mine.pk).exists()
    assert mine.issue.transitions.filter(to_status=Transition.DELETED).exists()


def test_issue_publish_asks_first_even_for_a_crafted_post(client):
    boss = editor("confirming-editor")
    client.force_login(boss)
    issue = IssueFactory()
    topic = TopicFactory()
    for title_be in ("Загаловак", ""):
        article = ArticleFactory(issue=issue, topic=topic, title_be=title_be)
        services.article_submit(article=article, user=boss)
        services.article_approve(article=article, user=boss)
    ArticleFactory(issue=issue, topic=topic)  # a draft: stays out
    url = reverse("admin:bulletin_issue_workflow", args=[issue.pk])
    page = client.post(url, {"action": "publish", "send_now": "1"}).content.decode()
    assert "goes live with 2 approved article(s)" in page
    assert "Belarusian: 1 article(s)" in page and "English: 2 article(s)" in page
    assert "1 article(s) not approved stay unpublished" in page
    assert 'name="send_now" value="1"' in page  # the choice is carried to the confirmation
    assert "Newsletter in English: 0 recipient(s), now." in page
    issue.refresh_from_db()
    assert issue.status == "draft"
    response = client.post(url, {"action": "publish", "send_now": "1", "confirmed": "1"})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == "published"


def test_issue_buttons_save_the_issue_form_first(client):
    boss = editor("saving-editor")
    client.force_login(boss)
    article = ArticleFactory()
    services.article_submit(article=article, user=boss)
    services.article_approve(article=article, user=boss)
    issue = article.issue
    url = reverse("admin:bulletin_issue_change", args=[issue.pk])
    assert 'form="issue_form" name="_workflow" value="publish"' in client.get(url).content.decode()
    response = client.post(url, {
        "number": issue.number, "start_date": issue.start_date.isoformat(),
        "title_en": "Typed before publishing", "title_be": "", "title_ru": "",
        "summary_en": "", "summary_be": "", "summary_ru": "", "_workflow": "publish",
    })
    assert response.status_code == 200 and "Yes, publish now" in response.content.decode()
    issue.refresh_from_db()
    assert issue.title_en == "Typed before publishing" and issue.status == "draft"
