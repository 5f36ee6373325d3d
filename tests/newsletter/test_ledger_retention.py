"""The ledger's retention: old dispatches' per-recipient rows go, in batches;
their counts stay on the dispatch and in the admin; recent and running ones keep theirs."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from newsletter.dispatch import ledger, reports, retention, worker
from newsletter.models import Delivery, Dispatch
from tests.factories import SubscriberFactory, published_issue

pytestmark = pytest.mark.django_db


def sent_dispatch(issue, language, finished_days_ago):
    d = Dispatch.objects.get(issue=issue, language=language)
    ledger.start(dispatch_id=d.pk)
    worker.send_batch(dispatch_id=d.pk)
    Dispatch.objects.filter(pk=d.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=finished_days_ago))
    d.refresh_from_db()
    assert d.status == "sent"
    return d


def test_prune_deletes_old_rows_in_batches_and_keeps_the_counts(smtp_sink, settings, capsys):
    settings.NEWSLETTER_LEDGER_RETENTION_DAYS = 396
    for i in range(5):
        SubscriberFactory(email=f"en{i}@example.org")
    SubscriberFactory(email="ru@example.org", language="ru")
    old_issue, new_issue = published_issue(1), published_issue(2)
    old = sent_dispatch(old_issue, "en", finished_days_ago=400)
    recent = sent_dispatch(new_issue, "en", finished_days_ago=30)
    running = Dispatch.objects.get(issue=old_issue, language="ru")
    ledger.start(dispatch_id=running.pk)  # not sent yet: its rows are the ledger
    Dispatch.objects.filter(pk=running.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=500))

    call_command("prune_ledger", "--batch-size", "2")
    assert "deleted 5 deliveries of 1 dispatches" in capsys.readouterr().out
    assert not Delivery.objects.filter(dispatch=old).exists()
    assert Delivery.objects.filter(dispatch=recent).count() == 5
    assert Delivery.objects.filter(dispatch=running).count() == 1
    # What the admin shows of the old send is unchanged.
    old.refresh_from_db()
    assert reports.dispatch_counts([old])[old.pk]["sent"] == 5
    # Nothing left to do: a second run deletes nothing.
    assert retention.deliveries_prune() == {"deleted": 0, "dispatches": 0}


def test_prune_refuses_bad_arguments():
    with pytest.raises(CommandError):
        call_command("prune_ledger", "--batch-size", "0")
