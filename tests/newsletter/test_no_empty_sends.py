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


def test_send_now_and_cancel_ask_first_and_a_cancelled_dispatch_can_be_resent(
    client, django_capture_on_commit_callbacks
):
    from django.core import mail

    boss = editor("resend-editor")
    client.force_login(boss)
    issue = published_issue(1, user=boss)
    SubscriberFactory(email="first@example.org", language="en")
    SubscriberFactory(email="second@example.org", language="en")
    dispatch = Dispatch.objects.get(issue=issue, language="en")

    def act(action, **data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("admin:newsletter_action", args=[issue.pk, "en", action]), data)

    page = act("cancel").content.decode()  # asks first, does nothing
    assert "2 recipient(s) not sent to yet will not get it" in page
    dispatch.refresh_from_db()
    assert dispatch.status == "scheduled"
    act("cancel", confirmed="1")
    dispatch.refresh_from_db()
    assert dispatch.status == "cancelled"
    issue_page = client.get(reverse("admin:bulletin_issue_change", args=[issue.pk]))
    assert "Re-send to those who did not get it" in issue_page.content.decode()

    assert "goes out now to 2 recipient(s)" in act("resend").content.decode()
    assert mail.outbox == []
    act("resend", confirmed="1")
    dispatch.refresh_from_db()
    assert dispatch.status == "sent"
    assert sorted(m.to[0] for m in mail.outbox) == ["first@example.org", "second@example.org"]


def test_resend_after_a_cancel_mid_send_skips_who_got_it(django_capture_on_commit_callbacks):
    from django.core import mail

    from newsletter.dispatch import controls, ledger
    from newsletter.models import Delivery

    boss = editor("midsend-editor")
    issue = published_issue(1, user=boss)
    for n in range(3):
        SubscriberFactory(email=f"mid{n}@example.org", language="en")
    dispatch = Dispatch.objects.get(issue=issue, language="en")
    with django_capture_on_commit_callbacks(execute=False):  # started, batches not run
        ledger.start(dispatch_id=dispatch.pk)
    first = Delivery.objects.filter(dispatch=dispatch).order_by("pk").first()
    Delivery.objects.filter(pk=first.pk).update(status="sent")  # one got it before the cancel
    dispatch.refresh_from_db()
    controls.dispatch_cancel(dispatch=dispatch, user=boss)
    with django_capture_on_commit_callbacks(execute=True):
        controls.dispatch_resend(dispatch=dispatch, user=boss)
    dispatch.refresh_from_db()
    assert dispatch.status == "sent"
    assert first.subscriber.email not in [m.to[0] for m in mail.outbox]
    assert len(mail.outbox) == 2


def test_bulk_cancel_asks_first(client):
    boss = editor("bulk-editor")
    client.force_login(boss)
    issue = published_issue(1, user=boss)
    dispatch = Dispatch.objects.get(issue=issue, language="en")
    changelist = reverse("admin:newsletter_dispatch_changelist")
    data = {"action": "cancel_selected", "_selected_action": [dispatch.pk], "index": 0}
    page = client.post(changelist, data).content.decode()
    assert "Yes, cancel it" in page and "will not get it" in page
    assert Dispatch.objects.get(pk=dispatch.pk).status == "scheduled"
    client.post(changelist, {**data, "confirmed": "1"})
    assert Dispatch.objects.get(pk=dispatch.pk).status == "cancelled"
