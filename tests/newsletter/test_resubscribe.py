"""Re-subscription cannot be abused: a stranger submitting someone's address
changes nothing stored until the mailbox owner confirms, every confirmation
link is bound to the request that sent it, and the consent history is kept."""

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from newsletter import services
from newsletter.models import ConsentRecord, Subscriber
from tests.factories import editor
from tests.newsletter.helpers import confirm_latest, post_subscribe, subscriber

pytestmark = pytest.mark.django_db

STRANGER = {"REMOTE_ADDR": "203.0.113.66", "HTTP_USER_AGENT": "StrangerBot/1.0"}


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def confirm_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/\w\w/newsletter/confirm/[^/\s]+/)", message.body)[1]


def later(settings):
    """Past the one-email-per-interval limit."""
    Subscriber.objects.update(confirmation_sent_at=timezone.now() - datetime.timedelta(
        seconds=settings.NEWSLETTER_CONFIRMATION_INTERVAL + 1))


def subscribed_then_left(client, mailoutbox, send, settings, status):
    with send():
        post_subscribe(client, "owner@example.org", "en", REMOTE_ADDR="192.0.2.10")
    first_link = confirm_path(mailoutbox[-1])
    assert client.post(first_link).status_code == 303
    row = subscriber("owner@example.org")
    if status == "unsubscribed":
        services.subscriber_unsubscribe(subscriber_id=row.pk)
    else:
        Subscriber.objects.filter(pk=row.pk).update(
            status="bounced", bounced_at=timezone.now(), bounce_reason="550 no such user")
    later(settings)
    return first_link, subscriber("owner@example.org")


def stored(row):
    fields = ("status", "language", "consent_at", "consent_source", "consent_ip",
              "consent_user_agent", "consent_text", "consent_version", "confirmed_at",
              "unsubscribed_at", "bounced_at", "bounce_reason")
    row = Subscriber.objects.get(pk=row.pk)
    return {name: getattr(row, name) for name in fields}


@pytest.mark.parametrize("status", ["unsubscribed", "bounced"])
def test_a_stranger_resubscribing_a_suppressed_address_changes_nothing_until_confirmed(
        client, mailoutbox, send, settings, status):
    first_link, row = subscribed_then_left(client, mailoutbox, send, settings, status)
    before = stored(row)
    with send():
        response = post_subscribe(client, "owner@example.org", "ru", **STRANGER)
    assert response.status_code == 200
    assert stored(row) == before  # status, language, consent, stamps: all the owner's
    # The owner's old link, already used once, does not bring them back.
    for method in (client.get, client.post):
        response = method(first_link)
        assert response.status_code == 410
    assert stored(row) == before
    # The history has both requests; only the first was confirmed.
    old, new = ConsentRecord.objects.filter(subscriber=row).order_by("requested_at")
    assert old.confirmed_at and old.ip == "192.0.2.10" and old.language == "en"
    assert new.confirmed_at is None and new.ip == "203.0.113.66" and new.language == "ru"
    assert new.user_agent == "StrangerBot/1.0"
    # The new email goes to the mailbox, in the language asked for.
    new_link = confirm_path(mailoutbox[-1])
    assert new_link.startswith("/ru/") and new_link != first_link
    assert client.get(new_link).status_code == 200
    assert client.post(new_link).status_code == 303
    row.refresh_from_db()
    assert row.status == "confirmed" and row.language == "ru"
    assert row.consent_ip == "203.0.113.66" and row.unsubscribed_at is None
    assert row.bounced_at is None and row.bounce_reason == ""
    old.refresh_from_db()
    new.refresh_from_db()
    assert new.confirmed_at and old.ip == "192.0.2.10"  # the first record untouched


def test_a_later_request_supersedes_an_earlier_pending_link(client, mailoutbox, send, settings):
    with send():
        post_subscribe(client, "p@example.org", "en")
    first = confirm_path(mailoutbox[-1])
    later(settings)
    with send():
        post_subscribe(client, "p@example.org", "be")
    second = confirm_path(mailoutbox[-1])
    assert first != second
    assert client.get(first).status_code == 410
    assert client.post(first).status_code == 410
    assert subscriber("p@example.org").status == "pending"
    assert client.post(second).status_code == 303
    assert subscriber("p@example.org").status == "confirmed"
    assert subscriber("p@example.org").language == "be"
    # Used: the second link now only says so, and cannot undo anything.
    assert client.get(second).status_code == 200


def test_a_request_inside_the_interval_does_not_void_the_link_just_sent(
        client, mailoutbox, send):
    with send():
        post_subscribe(client, "p@example.org", "en")
        post_subscribe(client, "p@example.org", "ru", **STRANGER)
    assert len(mailoutbox) == 1
    assert ConsentRecord.objects.count() == 1
    assert client.post(confirm_path(mailoutbox[0])).status_code == 303
    assert subscriber("p@example.org").language == "en"


def test_unsubscribing_voids_an_outstanding_confirmation_link(client, mailoutbox, send, settings):
    _first, row = subscribed_then_left(client, mailoutbox, send, settings, "unsubscribed")
    with send():
        post_subscribe(client, "owner@example.org", "en")
    link = confirm_path(mailoutbox[-1])
    services.subscriber_unsubscribe(subscriber_id=row.pk)  # e.g. one click in an old newsletter
    assert client.post(link).status_code == 410
    assert subscriber("owner@example.org").status == "unsubscribed"


def test_a_confirmation_link_without_the_current_nonce_is_refused(client, mailoutbox, send):
    from newsletter import tokens

    with send():
        post_subscribe(client, "p@example.org", "en")
    row = subscriber("p@example.org")
    for nonce in ("", "guessed", row.confirmation_nonce + "x"):
        token = tokens.make_token(row.pk, tokens.CONFIRM, nonce=nonce)
        assert client.post(reverse("newsletter:confirm", kwargs={"token": token})).status_code \
            == 410
    assert subscriber("p@example.org").status == "pending"


def test_the_consent_history_is_in_the_personal_data_and_the_admin(
        client, mailoutbox, send, settings):
    _first, row = subscribed_then_left(client, mailoutbox, send, settings, "unsubscribed")
    with send():
        post_subscribe(client, "owner@example.org", "be", **STRANGER)
    confirm_latest(row.pk)
    from newsletter import links

    data = json.loads(client.get(
        links.preferences_url(row.pk, "en").removeprefix("http://127.0.0.1:8000")
        + "data.json").content)
    history = data["consent_history"]
    assert [h["language"] for h in history] == ["be", "en"]  # newest first
    assert all(h["confirmed_at"] for h in history)
    client.force_login(editor())
    page = client.get(reverse("admin:newsletter_subscriber_change", args=[row.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "203.0.113.66" in html and "192.0.2.10" in html
