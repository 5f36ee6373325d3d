"""The permission boundary and the editorial flow, through the admin itself."""

import datetime

import pytest
from django.urls import reverse

from bulletin import services
from bulletin.models import Article, Issue
from tests.factories import ArticleFactory, IssueFactory, TopicFactory, analyst, editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst_client(client):
    client.force_login(analyst())
    return client


@pytest.fixture
def editor_client(client):
    client.force_login(editor())
    return client


def workflow(client, obj, action, **data):
    name = "admin:bulletin_article_workflow" if isinstance(obj, Article) else (
        "admin:bulletin_issue_workflow")
    return client.post(reverse(name, args=[obj.pk]), {"action": action, **data})


def article_form(issue, topic, **overrides):
    data = {
        "issue": issue.pk, "topic": topic.pk, "slug": "new-article", "trend": "worsened",
        "position": 1, "bylines-TOTAL_FORMS": "0", "bylines-INITIAL_FORMS": "0",
        "title_en": "Potash transit rerouted", "lead_en": "Transit moved to Russian ports.",
        "body_en": "<p>Body.</p><script>alert(1)</script>",
        "title_be": "", "lead_be": "", "body_be": "",
        "title_ru": "Транзит калия перенаправлен", "lead_ru": "Лид.", "body_ru": "<p>Текст.</p>",
    }
    data.update(overrides)
    return data


class TestAnalystCannotCrossTheBoundary:
    @pytest.mark.parametrize("action", ["approve", "return", "publish", "unpublish"])
    def test_workflow_post_is_refused(self, analyst_client, action):
        article = ArticleFactory(status="review")
        response = workflow(analyst_client, article, action, comment="x")
        assert response.status_code == 403
        assert Article.objects.get(pk=article.pk).status == "review"
        assert not article.transitions.exists()

    @pytest.mark.parametrize("action", ["publish", "schedule", "unschedule"])
    def test_issue_publish_post_is_refused(self, analyst_client, action):
        article = ArticleFactory(status="approved")
        response = workflow(analyst_client, article.issue, action, at="2099-01-01T09:00")
        assert response.status_code == 403
        issue = Issue.objects.get(pk=article.issue.pk)
        assert (issue.status, issue.published_at) == ("draft", None)
        assert Article.objects.get(pk=article.pk).status == "approved"

    @pytest.mark.parametrize("at", ["2000-01-01T00:00", "yesterday", ""])
    def test_schedule_is_refused_before_the_time_is_judged(self, analyst_client, at):
        article = ArticleFactory(status="approved")
        response = workflow(analyst_client, article.issue, "schedule", at=at)
        assert response.status_code == 403
        assert Issue.objects.get(pk=article.issue.pk).status == "draft"

    def test_bulk_approve_action_is_not_available(self, analyst_client):
        article = ArticleFactory(status="review")
        url = reverse("admin:bulletin_article_changelist")
        page = analyst_client.get(url).content.decode()
        assert "submit_selected" in page and "approve_selected" not in page
        analyst_client.post(url, {"action": "approve_selected", "_selected_action": [article.pk]})
        assert Article.objects.get(pk=article.pk).status == "review"

    def test_status_cannot_be_posted_in_the_form(self, analyst_client):
        article = ArticleFactory(slug="s1")
        url = reverse("admin:bulletin_article_change", args=[article.pk])
        data = article_form(article.issue, article.topic, slug="s1", status="published",
                            published_at="2020-01-01 00:00")
        response = analyst_client.post(url, data)
        assert response.status_code == 302
        stored = Article.objects.get(pk=article.pk)
        assert (stored.status, stored.published_at) == ("draft", None)
        assert stored.title_en == "Potash transit rerouted"

    def test_article_in_review_is_read_only_for_analysts(self, analyst_client):
        article = ArticleFactory(status="review", title_en="Original")
        url = reverse("admin:bulletin_article_change", args=[article.pk])
        page = analyst_client.get(url)
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()
        response = analyst_client.post(url, article_form(article.issue, article.topic,
                                                         title_en="Changed"))
        assert response.status_code == 403
        assert Article.objects.get(pk=article.pk).title_en == "Original"

    def test_analyst_cannot_add_issue(self, analyst_client):
        response = analyst_client.post(reverse("admin:bulletin_issue_add"),
                                       {"number": 9, "start_date": "2018-11-12"})
        assert response.status_code == 403
        assert not Issue.objects.exists()


def test_analyst_and_editor_take_an_article_to_published_in_the_admin(client):
    issue_url = reverse("admin:bulletin_issue_add")
    client.force_login(editor())
    response = client.post(issue_url, {"number": 150, "start_date": "2018-11-12",
                                       "title_en": "A quiet week", "summary_en": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    issue = Issue.objects.get(number=150)
    topic = TopicFactory()

    client.force_login(analyst())
    response = client.post(reverse("admin:bulletin_article_add"), article_form(issue, topic))
    assert response.status_code == 302
    article = Article.objects.get(slug="new-article")
    assert "<script" not in article.body_en
    assert article.languages == ["en", "ru"]
    response = workflow(client, article, "submit")
    assert response.status_code == 302

    client.force_login(editor())
    page = client.get(reverse("admin:bulletin_article_change", args=[article.pk])).content.decode()
    assert "Approve" in page and "Return to draft" in page
    workflow(client, article, "approve")
    page = client.get(reverse("admin:bulletin_issue_change", args=[issue.pk])).content.decode()
    assert 'data-language="be" data-state="missing"' in page
    assert 'data-language="ru" data-state="ready"' in page
    confirmation = workflow(client, issue, "publish").content.decode()
    assert "goes live with 1 approved article(s)" in confirmation
    assert "Belarusian: 0 article(s)" in confirmation
    assert Issue.objects.get(pk=issue.pk).status == "draft"  # asked first
    workflow(client, issue, "publish", confirmed="1")
    article.refresh_from_db()
    assert article.status == "published"
    page = client.get(reverse("admin:bulletin_article_change", args=[article.pk])).content.decode()
    # The history names each step by its status as people read it, and who took it.
    history = page.split('aria-labelledby="wf-history-heading"')[1].split("</section>")[0]
    for step in ("<td>Draft</td><td>In review</td>", "<td>In review</td><td>Approved</td>",
                 "<td>Approved</td><td>Published</td>", "analyst", "editor"):
        assert step in history


def test_illegal_transition_is_a_message_not_an_error(editor_client):
    article = ArticleFactory(status="draft")
    response = workflow(editor_client, article, "approve")
    assert response.status_code == 302
    page = editor_client.get(response["Location"]).content.decode()
    assert "cannot be moved to approved" in page
    assert Article.objects.get(pk=article.pk).status == "draft"


def test_return_without_comment_is_a_message(editor_client):
    article = ArticleFactory(status="review")
    response = workflow(editor_client, article, "return", comment="")
    page = editor_client.get(response["Location"]).content.decode()
    assert "comment is required" in page
    assert Article.objects.get(pk=article.pk).status == "review"


def test_schedule_through_the_admin(editor_client):
    article = ArticleFactory(status="approved")
    response = workflow(editor_client, article.issue, "schedule", at="2099-05-04T09:30")
    assert response.status_code == 302
    issue = Issue.objects.get(pk=article.issue.pk)
    assert issue.status == "scheduled"
    assert issue.published_at.year == 2099
    response = workflow(editor_client, article.issue, "schedule", at="yesterday")
    page = editor_client.get(response["Location"]).content.decode()
    assert "date and time" in page


@pytest.mark.parametrize(
    "start, message",
    [("2018-11-18", "not a Monday"), ("2018-11-12", "already covers this week"),
     ("not-a-date", "Enter a valid date")],
)
def test_bad_issue_week_is_a_form_message(editor_client, start, message):
    IssueFactory(number=1, start_date=datetime.date(2018, 11, 12))
    response = editor_client.post(reverse("admin:bulletin_issue_add"),
                                  {"number": 2, "start_date": start})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Issue.objects.count() == 1


def test_missing_language_filter(editor_client):
    ArticleFactory(title_en="Has all")
    ArticleFactory(title_en="No Belarusian", body_be="")
    url = reverse("admin:bulletin_article_changelist") + "?missing=be"
    page = editor_client.get(url).content.decode()
    assert "No Belarusian" in page and "Has all" not in page


def test_article_admin_search_and_filters_render(editor_client):
    ArticleFactory(title_en="Lukashenka meets governors", trend="worsened")
    url = reverse("admin:bulletin_article_changelist")
    page = editor_client.get(url, {"q": "governors", "trend__exact": "worsened"})
    assert "Lukashenka meets governors" in page.content.decode()


def test_editor_withdraws_a_published_article(editor_client):
    article = ArticleFactory()
    user = editor("another-editor")
    services.article_submit(article=article, user=user)
    services.article_approve(article=article, user=user)
    services.issue_publish(issue=article.issue, user=user)
    workflow(editor_client, article, "unpublish", comment="Factual error")
    assert Article.objects.get(pk=article.pk).status == "draft"
    assert not Article.objects.published().exists()
