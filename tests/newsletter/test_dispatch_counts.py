"""The counts the admin shows per dispatch: stored when its ledger settles,
counted live only while it runs, right after a send, a failure and a retry,
and costing the same number of queries whatever the ledger's size."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from newsletter import bounces
from newsletter.dispatch import controls, ledger, worker
from newsletter.models import Delivery, DeliveryEvent, Dispatch
from tests.factories import SubscriberFactory, editor, published_issue

pytestmark = pytest.mark.django_db

LIST = "/admin/newsletter/dispatch/"


@pytest.fixture
def editor_client(client):
    client.user = editor()
    client.force_login(client.user)
    return client


def listed(client, dispatch) -> dict:
    """The dispatch list's count cells of `dispatch`'s row, as the editor reads them."""
    response = client.get(LIST)
    assert response.status_code == 200, response.content[:3000]
    html = response.content.decode()
    link = reverse("admin:newsletter_dispatch_change", args=[dispatch.pk])
    row = html.split(f'href="{link}"')[1].split("</tr>")[0]
    return {name: int(value) for name, value in re.findall(
        r'class="field-(sent|failed|pending|delivered|bounced|complained)[^"]*">(\d+)<', row)}


def progress(client, issue) -> dict:
    return client.get(reverse("admin:newsletter_progress", args=[issue.pk])).json()["en"]


def test_counts_after_a_send_a_failure_and_a_retry(editor_client, smtp_sink, settings):
    settings.NEWSLETTER_MAX_ATTEMPTS = 1
    smtp_sink.faults.defer["later@example.org"] = 100
    issue = published_issue(1)
    for i in range(3):
        SubscriberFactory(email=f"p{i}@example.org")
    SubscriberFactory(email="later@example.org")
    d = Dispatch.objects.get(issue=issue, language="en")
    ledger.start(dispatch_id=d.pk)
    worker.send_batch(dispatch_id=d.pk)
    d.refresh_from_db()
    assert d.status == "sent" and d.counted_at is not None
    assert (d.sent_count, d.failed_count, d.pending_count) == (3, 1, 0)
    assert listed(editor_client, d) == {"sent": 3, "failed": 1, "pending": 0, "delivered": 0,
                                        "bounced": 0, "complained": 0}
    assert progress(editor_client, issue)["sent"] == 3
    assert progress(editor_client, issue)["failed"] == 1

    # Retried: counted live while it runs, stored again once it settles.
    smtp_sink.faults.defer.clear()
    assert controls.dispatch_retry_failed(dispatch=d, user=editor_client.user) == 1
    d.refresh_from_db()
    assert d.counted_at is None
    assert listed(editor_client, d)["pending"] == 1 and listed(editor_client, d)["failed"] == 0
    worker.send_batch(dispatch_id=d.pk)
    d.refresh_from_db()
    assert d.status == "sent" and (d.sent_count, d.failed_count) == (4, 0)
    assert listed(editor_client, d)["sent"] == 4
    assert progress(editor_client, issue)["percent"] == 100

    # Reports arriving after the send add to the stored counts, each delivery once.
    delivery = Delivery.objects.filter(dispatch=d).first()
    for event_id in ("a", "b"):
        bounces.event_record(bounces.Report(
            kind=DeliveryEvent.Kind.DELIVERED, source="test", event_id=event_id,
            delivery_id=delivery.pk))
    assert listed(editor_client, d)["delivered"] == 1
    page = editor_client.get(reverse("admin:bulletin_issue_change", args=[issue.pk]))
    assert page.status_code == 200


def test_cancel_stores_what_was_sent_and_skipped(editor_client, smtp_sink):
    issue = published_issue(1)
    for i in range(3):
        SubscriberFactory(email=f"c{i}@example.org")
    d = Dispatch.objects.get(issue=issue, language="en")
    ledger.start(dispatch_id=d.pk)
    controls.dispatch_cancel(dispatch=d, user=editor_client.user)
    d.refresh_from_db()
    assert d.counted_at is not None and (d.sent_count, d.skipped_count) == (0, 3)
    assert listed(editor_client, d)["pending"] == 0


def test_dispatch_list_queries_do_not_grow_with_deliveries(editor_client, smtp_sink):
    issue = published_issue(1)
    SubscriberFactory(email="one@example.org")
    d = Dispatch.objects.get(issue=issue, language="en")
    ledger.start(dispatch_id=d.pk)
    worker.send_batch(dispatch_id=d.pk)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert editor_client.get(LIST).status_code == 200
        return [q["sql"] for q in captured.captured_queries]

    before = queries()
    # Ten times the ledger: the same queries, none of them reading it.
    people = [SubscriberFactory(email=f"more{i}@example.org") for i in range(10)]
    Delivery.objects.bulk_create(Delivery(dispatch=d, subscriber=s, status="sent")
                                 for s in people)
    after = queries()
    assert len(after) == len(before)
    assert not any("newsletter_delivery" in sql for sql in after)
