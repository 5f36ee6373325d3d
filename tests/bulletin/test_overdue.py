"""A scheduled issue or dispatch the scheduler missed is flagged in the admin,
on the list and on its page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bulletin import services
from bulletin.models import Issue
from newsletter.models import Dispatch
from tests.factories import ArticleFactory, editor, published_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(editor())
    return client


def scheduled_issue(minutes_ago):
    article = ArticleFactory()
    user = editor("scheduling-editor")
    services.article_submit(article=article, user=user)
    services.article_approve(article=article, user=user)
    issue = services.issue_publish(
        issue=article.issue, user=user, at=timezone.now() + datetime.timedelta(hours=1)
    )
    # The clock moves on without a scheduler running.
    Issue.objects.filter(pk=issue.pk).update(
        published_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )
    return issue


def test_issue_missed_by_the_scheduler_is_flagged(editor_client):
    late = scheduled_issue(minutes_ago=10)
    on_time = scheduled_issue(minutes_ago=1)  # the next tick will get it
    listing = editor_client.get(reverse("admin:bulletin_issue_changelist")).content.decode()
    rows = {issue.number: listing.split(f">{issue.number}<", 1)[1].split("</tr>", 1)[0]
            for issue in (late, on_time)}
    assert "wf-overdue" in rows[late.number]
    assert "wf-overdue" not in rows[on_time.number]
    assert list(Issue.objects.overdue()) == [late]

    page = editor_client.get(reverse("admin:bulletin_issue_change", args=[late.pk]))
    assert "was due to be published at" in page.content.decode()
    page = editor_client.get(reverse("admin:bulletin_issue_change", args=[on_time.pk]))
    assert "was due to be published at" not in page.content.decode()


def test_dispatch_missed_by_the_scheduler_is_flagged(editor_client):
    issue = published_issue()
    Dispatch.objects.filter(issue=issue, language="en").update(
        scheduled_for=timezone.now() - datetime.timedelta(minutes=10)
    )
    late = Dispatch.objects.get(issue=issue, language="en")
    listing = editor_client.get(reverse("admin:newsletter_dispatch_changelist")).content.decode()
    assert listing.count('class="wf-badge wf-overdue"') == 1
    page = editor_client.get(reverse("admin:newsletter_dispatch_change", args=[late.pk]))
    assert "wf-overdue" in page.content.decode()
    issue_page = editor_client.get(reverse("admin:bulletin_issue_change", args=[issue.pk]))
    row = issue_page.content.decode().split('data-language="en"', 1)[1].split("</tr>", 1)[0]
    assert "wf-overdue" in row
