"""The one place that queues Celery work, and the only importer of newsletter.tasks.

Everything is queued after the surrounding transaction commits
(`transaction.on_commit`; outside a transaction that is at once), so a worker
never looks for rows it cannot see yet. The tasks import what they call inside
their bodies, so the imports run one way: this module → tasks, and a task's
body → the module doing the work.
"""

import logging
import math

from django.conf import settings
from django.db import transaction

from newsletter import tasks
from newsletter.models import Delivery

log = logging.getLogger(__name__)


def dispatch_start_queue(dispatch_id: int) -> None:
    """Start a dispatch in a worker (render it, create its deliveries, fan out)."""
    transaction.on_commit(lambda: tasks.start_dispatch.delay(dispatch_id))


def batches_queue(dispatch_id: int) -> None:
    """Enough batch tasks for the dispatch's pending rows, counted at commit.
    Extra tasks are harmless: a batch with nothing to claim returns at once."""
    transaction.on_commit(lambda: _fan_out(dispatch_id))


def _fan_out(dispatch_id: int) -> int:
    pending = Delivery.objects.filter(dispatch_id=dispatch_id, status=Delivery.Status.PENDING)
    count = math.ceil(pending.count() / settings.NEWSLETTER_BATCH_SIZE)
    for _i in range(count):
        tasks.send_batch.delay(dispatch_id)
    return count


def batch_retry_queue(dispatch_id: int, countdown: float) -> None:
    """One follow-up batch when the earliest retry of a dispatch is due."""
    transaction.on_commit(
        lambda: tasks.send_batch.apply_async((dispatch_id,), countdown=countdown)
    )


def subscription_emails_queue(subscriber_ids: list[int]) -> None:
    """The confirmation (or "already subscribed") emails, in batches. Never raises:
    a broker failure is logged, and must not change what the subscriber is told."""
    def queue():
        size = max(1, settings.NEWSLETTER_CONFIRMATION_BATCH_SIZE)
        for start in range(0, len(subscriber_ids), size):
            batch = subscriber_ids[start : start + size]
            try:
                tasks.send_subscription_emails.delay(batch)
            except Exception:
                log.exception("could not queue subscription emails for %d subscriber(s)",
                              len(batch))

    transaction.on_commit(queue)


def welcome_queue(subscriber_id: int) -> None:
    """The welcome email to a subscriber who has just confirmed. Never raises:
    the confirmation stands without it."""
    def queue():
        try:
            tasks.send_welcome.delay(subscriber_id)
        except Exception:
            log.exception("could not queue the welcome email for subscriber %s", subscriber_id)

    transaction.on_commit(queue)
