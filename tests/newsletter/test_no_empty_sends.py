"""No empty sends: a language with no article in the issue gets no dispatch,
and the editor is told before publishing and on the issue page."""

import pytest
from django.urls import reverse

from bulletin import services
from newsletter.models import Dispatch
from tests.factories import ArticleFactory, IssueFactory, SubscriberFactory, editor, published_issue

pytestmark = pytest.mark.django_db

ENGLISH_ONLY = {"title_be": "", "lead_be": "", "body_be": "",
                "title_ru": "", "lead_ru": "", "body_ru": ""}


def test_english_only_issue_goes_out_in_english_only(client):
    boss = editor("empty-editor")
    client.force_login(boss)
    SubscriberFactory(language="be")
    SubscriberFactory(language="en")
    issue = IssueFactory()
    article = ArticleFactory(issue=issue, **ENGLISH_ONLY)
    services.article_submit(article=article, user=boss)
    services.article_approve(article=article, user=boss)

    confirm = client.post(reverse("admin:bulletin_issue_workflow", args=[issue.pk]),
                          {"action": "publish"}).content.decode()
    assert "Newsletter in English: 1 recipient(s)" in confirm
    assert "Newsletter in Belarusian: none, the issue has no article in it." in confirm

    issue = published_issue(0, issue=issue, user=boss)
    assert set(Dispatch.objects.filter(issue=issue).values_list("language", flat=True)) == {"en"}
    page = client.get(reverse("admin:bulletin_issue_change", args=[issue.pk])).content.decode()
    row = page.split('<tr data-language="be">', 1)[1].split("</tr>", 1)[0]
    assert "no articles in this language: no email" in row
    assert "newsletter/be/schedule/" not in row
