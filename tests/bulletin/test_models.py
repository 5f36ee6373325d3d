import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from bulletin.models import Issue
from tests.factories import ArticleFactory, IssueFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2018, 11, 12)


def test_issue_end_date_is_its_sunday():
    issue = IssueFactory(start_date=MONDAY)
    assert issue.end_date == datetime.date(2018, 11, 18)


def test_two_issues_in_one_week_refused_by_the_database():
    IssueFactory(number=1, start_date=MONDAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Issue.objects.create(number=2, start_date=MONDAY)
    assert Issue.objects.count() == 1


def test_issue_not_starting_on_monday_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Issue.objects.bulk_create(
            [Issue(number=3, start_date=MONDAY + datetime.timedelta(days=6),
                   end_date=MONDAY + datetime.timedelta(days=12))]
        )


def test_issue_covering_more_than_a_week_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Issue.objects.bulk_create(
            [Issue(number=3, start_date=MONDAY, end_date=MONDAY + datetime.timedelta(days=13))]
        )


def test_sunday_start_date_is_a_validation_message():
    issue = Issue(number=5, start_date=datetime.date(2018, 11, 18))
    with pytest.raises(ValidationError) as exc:
        issue.full_clean()
    assert "not a Monday" in str(exc.value.message_dict["start_date"])


def test_overlapping_week_is_a_validation_message():
    IssueFactory(number=1, start_date=MONDAY)
    issue = Issue(number=2, start_date=MONDAY)
    with pytest.raises(ValidationError) as exc:
        issue.full_clean()
    assert "already covers this week" in str(exc.value)


def test_article_has_language_only_when_title_lead_and_body_are_filled():
    article = ArticleFactory(body_be="", lead_ru="  ")
    assert article.languages == ["en"]
    assert article.has_language("en")
    assert not article.has_language("be")


def test_article_text_changes_are_stamped_per_language():
    article = ArticleFactory()
    stamps = dict(article.text_changed_at)
    assert set(stamps) == {"en", "be", "ru"}
    article.refresh_from_db()
    article.position = 9  # not a text: no stamp changes
    article.save()
    assert article.text_changed_at == stamps
    article.title_ru = "Новый заголовок"
    article.save()
    article.refresh_from_db()
    assert article.text_changed_at["ru"] > stamps["ru"]
    assert article.text_changed_at["en"] == stamps["en"]
