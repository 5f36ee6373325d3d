"""A worker's start gives back what its previous incarnation had claimed
(newsletter/dispatch/liveness.py); another worker's claims, and its own new ones, stay."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from newsletter.dispatch import ledger, liveness
from newsletter.models import Delivery, Dispatch, Heartbeat
from tests.factories import SubscriberFactory, published_issue

pytestmark = pytest.mark.django_db


def test_a_restarted_worker_releases_its_own_earlier_claims_at_once(
    monkeypatch, django_capture_on_commit_callbacks
):
    issue = published_issue(1)
    for name in ("a", "b", "c"):
        SubscriberFactory(email=f"{name}@example.org")
    dispatch = Dispatch.objects.get(issue=issue, language="en")
    with monkeypatch.context() as queue_nothing:
        queue_nothing.setattr(ledger.queue, "batches_queue", lambda dispatch_id: None)
        ledger.start(dispatch_id=dispatch.pk)
    monkeypatch.setattr(ledger, "_claimant", lambda: "w1@host")
    ledger.claim_batch(dispatch.pk, 2)  # w1 claims two, then is killed
    monkeypatch.setattr(ledger, "_claimant", lambda: "w2@host")
    ledger.claim_batch(dispatch.pk, 1)  # w2 claims one and lives on
    claimed = dict(Delivery.objects.values_list("subscriber__email", "claimed_by"))
    assert sorted(claimed.values()) == ["w1@host", "w1@host", "w2@host"]

    started = timezone.now() + datetime.timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert liveness.worker_started("w1@host", now=started) == 2
    # The two rows went back to pending and were queued again (sent here, in
    # process); w2's row is still w2's until its lease runs out.
    status = dict(Delivery.objects.values_list("subscriber__email", "status"))
    assert sorted(status[email] for email, by in claimed.items() if by == "w1@host") == [
        "sent", "sent"]
    assert [status[email] for email, by in claimed.items() if by == "w2@host"] == ["sending"]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        email for email, by in claimed.items() if by == "w1@host")
    heartbeat = Heartbeat.objects.get(name="w1@host")
    assert heartbeat.started_at == started == heartbeat.seen_at
    # Starting again releases nothing new.
    assert liveness.worker_started("w1@host", now=started) == 0


def test_beat_renews_a_heartbeat():
    first = timezone.now()
    liveness.beat(liveness.BEAT, now=first)
    later = first + datetime.timedelta(seconds=30)
    liveness.beat(liveness.BEAT, now=later)
    heartbeat = Heartbeat.objects.get(name="beat")
    assert (heartbeat.started_at, heartbeat.seen_at) == (first, later)


def test_erasing_a_subscriber_removes_their_deliveries(monkeypatch):
    """GDPR erasure takes the subscriber's rows of the ledger with them."""
    from newsletter import services

    issue = published_issue(1)
    keep, erase = SubscriberFactory(email="keep@example.org"), SubscriberFactory(
        email="erase@example.org")
    dispatch = Dispatch.objects.get(issue=issue, language="en")
    monkeypatch.setattr(ledger.queue, "batches_queue", lambda dispatch_id: None)
    ledger.start(dispatch_id=dispatch.pk)
    assert Delivery.objects.filter(subscriber=erase).exists()
    assert services.subscriber_erase(subscriber_ids=[erase.pk]) == 1
    assert list(Delivery.objects.values_list("subscriber_id", flat=True)) == [keep.pk]
