"""After the send in the admin, as an editor sees it: counts per dispatch, each
subscriber's bounce and complaint history, a searchable suppression list."""

import pytest
from django.core.cache import cache

from newsletter import bounces, mailbox
from newsletter.models import Delivery, Dispatch
from tests.factories import SubscriberFactory, editor, published_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def after_a_send():
    for name in ("anna", "ihar", "olga", "pavel"):
        SubscriberFactory(email=f"{name}@example.net")
    published_issue(send_now=True)
    deliveries = {d.subscriber.email: d for d in Delivery.objects.select_related("subscriber")}
    report = bounces.Report
    bounces.event_record(report(kind="bounced", source="postmark", event_id="b1",
                                delivery_id=deliveries["anna@example.net"].pk,
                                description="550 5.1.1 user unknown"))
    bounces.event_record(report(kind="complained", source="amazon_ses", event_id="c1",
                                recipient="ihar@example.net"))
    bounces.event_record(report(kind="delivered", source="postmark", event_id="d1",
                                delivery_id=deliveries["olga@example.net"].pk))
    bounces.event_record(report(kind="soft_bounce", source="dsn", event_id="s1",
                                delivery_id=deliveries["pavel@example.net"].pk,
                                description="452 4.2.2 mailbox full"))
    return deliveries


def test_dispatch_list_shows_delivered_bounced_and_complained_next_to_sent(client,
                                                                          after_a_send):
    client.force_login(editor())
    response = client.get("/admin/newsletter/dispatch/")
    assert response.status_code == 200
    dispatch = Dispatch.objects.get(language="en")
    result = response.context["cl"].result_list.get(pk=dispatch.pk)
    assert (result._sent, result._delivered, result._bounced, result._complained,
            result._failed) == (4, 1, 1, 1, 0)
    page = response.content.decode()
    for header in ("Delivered", "Bounced", "Complained"):
        assert header in page


def test_suppression_list_is_searchable_and_says_why(client, after_a_send):
    client.force_login(editor())
    response = client.get("/admin/newsletter/suppression/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "anna@example.net" in page and "550 5.1.1 user unknown" in page
    assert "ihar@example.net" in page and "spam complaint" in page
    assert "olga@example.net" not in page and "pavel@example.net" not in page
    found = client.get("/admin/newsletter/suppression/", {"q": "ihar"}).content.decode()
    assert "ihar@example.net" in found and "anna@example.net" not in found


def test_a_subscribers_page_shows_their_bounce_and_complaint_history(client, after_a_send):
    client.force_login(editor())
    pavel = after_a_send["pavel@example.net"].subscriber
    page = client.get(f"/admin/newsletter/subscriber/{pavel.pk}/change/").content.decode()
    assert "Bounce and complaint history" in page
    assert "452 4.2.2 mailbox full" in page and "soft bounce 1 of 3" in page


def test_an_unreadable_bounce_mailbox_is_shown_to_editors(client, after_a_send, settings):
    settings.BOUNCE_MAILBOX_URL = "imaps://u:p@127.0.0.1:1/INBOX"
    cache.set(mailbox.STATUS_KEY, {"ok": False, "error": "cannot read the bounce mailbox at "
                                   "127.0.0.1: refused", "last_ok_at": None}, None)
    client.force_login(editor())
    page = client.get("/admin/newsletter/suppression/").content.decode()
    assert "The bounce mailbox could not be read" in page


def test_the_issue_pages_newsletter_panel_shows_what_happened_after_the_send(client,
                                                                              after_a_send):
    client.force_login(editor())
    issue = Dispatch.objects.get(language="en").issue
    page = client.get(f"/admin/bulletin/issue/{issue.pk}/change/").content.decode()
    assert "1 delivered, 1 bounced, 1 complained" in page
