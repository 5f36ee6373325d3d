"""Publishing publishes what is approved at that moment: an article returned to
draft (and edited) while the issue is being published never goes live, and a
published issue's number is fixed."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.urls import reverse

from bulletin import services
from bulletin.models import Article, Issue
from tests.factories import ArticleFactory, IssueFactory, editor


def approved(issue, user):
    article = ArticleFactory(issue=issue)
    services.article_submit(article=article, user=user)
    services.article_approve(article=article, user=user)
    return article


@pytest.mark.django_db(transaction=True)
def test_an_article_returned_while_publishing_stays_out(need_postgres):
    boss = editor("lock-editor")
    issue = IssueFactory()
    kept = approved(issue, boss)
    returned = approved(issue, boss)
    holding = threading.Event()

    def return_and_edit():
        try:
            with transaction.atomic():
                services.article_return(article=returned, user=boss, comment="Wrong figure")
                Article.objects.filter(pk=returned.pk).update(body_en="<p>Half-edited</p>")
                holding.set()
                time.sleep(1.0)  # the editor's publish arrives now, and must wait
        finally:
            connection.close()

    editing = threading.Thread(target=return_and_edit)
    editing.start()
    assert holding.wait(10)
    services.issue_publish(issue=issue, user=boss)
    editing.join()

    assert Article.objects.get(pk=kept.pk).status == "published"
    assert Article.objects.get(pk=returned.pk).status == "draft"
    assert not returned.transitions.filter(to_status="published").exists()


@pytest.mark.django_db
def test_a_published_issues_number_is_read_only(client):
    boss = editor("number-editor")
    issue = IssueFactory()
    approved(issue, boss)
    client.force_login(boss)
    url = reverse("admin:bulletin_issue_change", args=[issue.pk])
    assert 'name="number"' in client.get(url).content.decode()
    services.issue_publish(issue=issue, user=boss)
    assert 'name="number"' not in client.get(url).content.decode()
    client.post(url, {"number": 999, "start_date": issue.start_date.isoformat(),
                      "title_en": "", "title_be": "", "title_ru": "",
                      "summary_en": "", "summary_be": "", "summary_ru": "", "_save": "Save"})
    assert Issue.objects.get(pk=issue.pk).number == issue.number
