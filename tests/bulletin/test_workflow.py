import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from bulletin import services, signals
from bulletin.models import Article, Issue, Transition
from tests.factories import ArticleFactory, IssueFactory, analyst, editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return analyst(), editor()


def test_draft_to_published_records_every_step(people):
    a, e = people
    article = ArticleFactory()
    services.article_submit(article=article, user=a)
    services.article_approve(article=article, user=e, comment="Good")
    services.issue_publish(issue=article.issue, user=e)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at is not None
    steps = list(article.transitions.order_by("at", "pk").values_list(
        "user__username", "from_status", "to_status", "comment"))
    assert steps == [
        ("analyst", "draft", "review", ""),
        ("editor", "review", "approved", "Good"),
        ("editor", "approved", "published", ""),
    ]
    issue_step = Transition.objects.get(issue=article.issue, article__isnull=True)
    assert (issue_step.from_status, issue_step.to_status) == ("draft", "published")


def test_return_to_draft_needs_a_comment_and_records_it(people):
    a, e = people
    article = ArticleFactory()
    services.article_submit(article=article, user=a)
    with pytest.raises(services.WorkflowError, match="comment is required"):
        services.article_return(article=article, user=e, comment="  ")
    services.article_return(article=article, user=e, comment="Sources for paragraph 2?")
    article.refresh_from_db()
    assert article.status == "draft"
    assert article.transitions.first().comment == "Sources for paragraph 2?"


def test_approved_can_be_returned(people):
    a, e = people
    article = ArticleFactory()
    services.article_submit(article=article, user=a)
    services.article_approve(article=article, user=e)
    services.article_return(article=article, user=e, comment="Wait for the official figures")
    assert Article.objects.get(pk=article.pk).status == "draft"


@pytest.mark.parametrize(
    "status, service",
    [
        ("review", "article_submit"),
        ("approved", "article_submit"),
        ("published", "article_submit"),
        ("draft", "article_approve"),
        ("approved", "article_approve"),
        ("published", "article_approve"),
        ("draft", "article_return"),
        ("published", "article_return"),
        ("draft", "article_publish"),
        ("review", "article_publish"),
        ("draft", "article_unpublish"),
    ],
)
def test_illegal_transitions_are_refused_and_change_nothing(people, status, service):
    _a, e = people
    article = ArticleFactory(status=status)
    before = Transition.objects.count()
    with pytest.raises(services.WorkflowError) as exc:
        getattr(services, service)(article=article, user=e, comment="why")
    assert "cannot be moved" in str(exc.value) or "issue" in str(exc.value).lower()
    assert Article.objects.get(pk=article.pk).status == status
    assert Transition.objects.count() == before


@pytest.mark.parametrize("service", ["article_approve", "article_return", "article_publish"])
def test_analyst_cannot_review_or_publish(people, service):
    a, _e = people
    article = ArticleFactory(status="review")
    with pytest.raises(PermissionDenied):
        getattr(services, service)(article=article, user=a, comment="x")
    assert Article.objects.get(pk=article.pk).status == "review"


def test_analyst_cannot_publish_or_schedule_issue(people):
    a, e = people
    article = ArticleFactory()
    services.article_submit(article=article, user=a)
    services.article_approve(article=article, user=e)
    with pytest.raises(PermissionDenied):
        services.issue_publish(issue=article.issue, user=a)
    with pytest.raises(PermissionDenied):
        services.issue_publish(
            issue=article.issue, user=a, at=timezone.now() + datetime.timedelta(days=1)
        )
    assert Issue.objects.get(pk=article.issue.pk).status == "draft"


def test_submit_needs_one_complete_language(people):
    a, _e = people
    article = ArticleFactory(lead_en="", body_ru="", title_be="")
    with pytest.raises(services.WorkflowError, match="no language"):
        services.article_submit(article=article, user=a)
    article.body_ru = "<p>Текст.</p>"
    article.save()
    services.article_submit(article=article, user=a)


def test_publishing_leaves_unapproved_articles_unpublished(people):
    a, e = people
    issue = IssueFactory()
    ready = ArticleFactory(issue=issue)
    waiting = ArticleFactory(issue=issue)
    services.article_submit(article=ready, user=a)
    services.article_approve(article=ready, user=e)
    services.article_submit(article=waiting, user=a)
    services.issue_publish(issue=issue, user=e)
    assert Article.objects.get(pk=ready.pk).status == "published"
    assert Article.objects.get(pk=waiting.pk).status == "review"
    assert list(Article.objects.published()) == [ready]
    # Approved later, it can be published into the issue already out.
    services.article_approve(article=waiting, user=e)
    services.article_publish(article=waiting, user=e)
    assert Article.objects.published().count() == 2


def test_issue_without_approved_articles_cannot_be_published(people):
    _a, e = people
    issue = IssueFactory()
    ArticleFactory(issue=issue)
    with pytest.raises(services.WorkflowError, match="no approved articles"):
        services.issue_publish(issue=issue, user=e)


def test_issue_published_twice_is_refused(people):
    a, e = people
    article = ArticleFactory()
    services.article_submit(article=article, user=a)
    services.article_approve(article=article, user=e)
    services.issue_publish(issue=article.issue, user=e)
    with pytest.raises(services.WorkflowError, match="already published"):
        services.issue_publish(issue=article.issue, user=e)


def test_published_signal_fires_once_after_commit(people, django_capture_on_commit_callbacks):
    a, e = people
    article = ArticleFactory()
    services.article_submit(article=article, user=a)
    services.article_approve(article=article, user=e)
    received = []

    def listener(sender, issue_id, send_now, **kwargs):
        received.append((issue_id, send_now))

    signals.issue_published.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.issue_publish(issue=article.issue, user=e, send_now=True)
    finally:
        signals.issue_published.disconnect(listener)
    assert received == [(article.issue.pk, True)]


class TestScheduledPublishing:
    def _scheduled(self, people, minutes):
        a, e = people
        article = ArticleFactory()
        services.article_submit(article=article, user=a)
        services.article_approve(article=article, user=e)
        at = timezone.now() + datetime.timedelta(minutes=minutes)
        services.issue_publish(issue=article.issue, user=e, at=at)
        return article

    def test_scheduled_issue_is_not_visible_before_its_time(self, people):
        article = self._scheduled(people, 30)
        issue = Issue.objects.get(pk=article.issue.pk)
        assert issue.status == "scheduled"
        assert services.issue_publish_scheduled() == []
        assert not Article.objects.published().exists()
        assert not Issue.objects.published().exists()

    def test_due_issue_is_published_by_task_and_command_once(self, people, capsys):
        article = self._scheduled(people, 30)
        Issue.objects.filter(pk=article.issue.pk).update(
            published_at=timezone.now() - datetime.timedelta(seconds=1)
        )
        from bulletin.tasks import publish_scheduled

        assert publish_scheduled.delay().get() == [article.issue.number]
        call_command("publish_scheduled")
        assert "Nothing due" in capsys.readouterr().out
        assert Article.objects.get(pk=article.pk).status == "published"
        assert Transition.objects.filter(to_status="published", article__isnull=True).count() == 1

    def test_command_publishes_due_issue(self, people, capsys):
        article = self._scheduled(people, 30)
        Issue.objects.filter(pk=article.issue.pk).update(
            published_at=timezone.now() - datetime.timedelta(minutes=1)
        )
        call_command("publish_scheduled")
        assert f"Published issue(s): {article.issue.number}" in capsys.readouterr().out
        assert Issue.objects.published().count() == 1

    def test_unschedule(self, people):
        article = self._scheduled(people, 30)
        services.issue_unschedule(issue=article.issue, user=people[1])
        issue = Issue.objects.get(pk=article.issue.pk)
        assert (issue.status, issue.published_at) == ("draft", None)

    def test_due_issue_with_nothing_approved_goes_back_to_draft(self, people):
        article = self._scheduled(people, 30)
        services.article_return(article=article, user=people[1], comment="Not yet")
        Issue.objects.filter(pk=article.issue.pk).update(
            published_at=timezone.now() - datetime.timedelta(minutes=1)
        )
        assert services.issue_publish_scheduled() == []
        issue = Issue.objects.get(pk=article.issue.pk)
        assert issue.status == "draft"
        assert "no approved articles" in issue.transitions.first().comment
