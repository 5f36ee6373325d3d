"""Dates and numbers at the edges of what the code can compute: a form error
or a 404, never a 500 (OverflowError), and nothing stored changed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bulletin.models import Issue
from tests.bulletin.test_admin import workflow
from tests.factories import ArticleFactory, IssueFactory, UserFactory, editor
from tests.reader_content import sample_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(editor())
    client.raise_request_exception = False
    return client


def assert_issue_form_error(editor_client, data, expected):
    """Post the issue add form and check it comes back with `expected` and stores nothing."""
    response = editor_client.post(reverse("admin:bulletin_issue_add"), data)
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert not Issue.objects.exists()


@pytest.mark.parametrize("start", ["9999-12-27", "9999-12-20", "3000-01-06", "1899-12-25",
                                   "0001-01-01"])
def test_a_week_outside_the_calendar_the_code_handles_is_a_form_error(editor_client, start):
    assert_issue_form_error(editor_client, {"number": 7, "start_date": start},
                            "Give a week between 1900 and 2999.")


@pytest.mark.parametrize("start", ["99999-01-01", "2018-13-01", "-1-01-01", "9999-12-32"])
def test_an_impossible_date_is_a_form_error(editor_client, start):
    assert_issue_form_error(editor_client, {"number": 7, "start_date": start},
                            "Enter a valid date")


@pytest.mark.parametrize("number", [2**31, 2**63, 10**30, -1, "1e5"])
def test_an_issue_number_out_of_range_is_a_form_error(editor_client, number):
    assert_issue_form_error(editor_client, {"number": number, "start_date": "2030-01-07"},
                            'class="errorlist')


def test_code_cannot_store_a_week_outside_the_bounds_either():
    for day in (datetime.date(9999, 12, 27), datetime.date(1, 1, 1)):
        with pytest.raises(ValidationError, match="between 1900 and 2999"):
            Issue.objects.create(number=1, start_date=day)
    assert not Issue.objects.exists()


def test_the_last_week_allowed_works_everywhere(editor_client):
    site = sample_site()
    last = IssueFactory(number=99, start_date=datetime.date(2999, 12, 30))
    assert last.end_date == datetime.date(3000, 1, 5)
    for url in [reverse("admin:bulletin_issue_add"), reverse("admin:bulletin_issue_changelist"),
                reverse("admin:bulletin_issue_change", args=[last.pk]), "/en/", "/en/issues/",
                "/en/topics/security/", f"/en/issues/{site.first.number}/", "/en/feeds/rss/"]:
        assert editor_client.get(url).status_code == 200, url


@pytest.mark.parametrize("query", [
    "created_at__year=9999", "created_at__year=9999&created_at__month=12",
    "created_at__year=9999&created_at__month=12&created_at__day=31", "created_at__year=99999",
    "created_at__year=0", "created_at__year=1", "created_at__year=-5", "created_at__year=x",
])
@pytest.mark.parametrize("changelist", ["admin:bulletin_article_changelist",
                                        "admin:newsletter_subscriber_changelist"])
def test_date_hierarchy_at_the_calendars_end_is_an_invalid_lookup(
        editor_client, changelist, query):
    editor_client.force_login(UserFactory(username="boss", is_superuser=True))
    response = editor_client.get(f"{reverse(changelist)}?{query}")
    assert response.status_code == 302 and response["Location"].endswith("?e=1")


def test_date_hierarchy_of_the_transitions_too(editor_client):
    editor_client.force_login(UserFactory(username="boss", is_superuser=True))
    response = editor_client.get(
        reverse("admin:bulletin_transition_changelist") + "?at__year=9999&at__month=12")
    assert response.status_code == 302


@pytest.mark.parametrize("at, message", [
    ("9999-12-31T23:59", "before 3000"),
    ("3000-01-01T00:00", "before 3000"),
    ("9999-12-31T23:59:59-12:00", "date and time"),
    ("0001-01-01T00:00", "date and time"),
    ("9999-99-99T00:00", "date and time"),
])
def test_scheduling_at_the_calendars_ends_is_a_message(editor_client, at, message):
    article = ArticleFactory(status="approved")
    response = workflow(editor_client, article.issue, "schedule", at=at)
    assert response.status_code == 302
    page = editor_client.get(response["Location"]).content.decode()
    assert message in page
    issue = Issue.objects.get(pk=article.issue.pk)
    assert issue.status == "draft" and issue.published_at is None


@pytest.mark.parametrize("url", [
    "/en/issues/?page=99999999999999999999999999",
    "/en/topics/security/?page=99999999999999999999999999",
    "/en/search/?q=Minsk&page=99999999999999999999999999",
    "/en/issues/99999999999999999999/",
    "/en/issues/99999999999999999999/azerbaijan/",
    "/en/newsletter/issues/99999999999999999999/",
])
def test_huge_numbers_in_urls_are_404(client, url):
    sample_site()
    assert client.get(url).status_code == 404
