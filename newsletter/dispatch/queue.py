"""The one place that queues the newsletter's Celery work.

Everything is queued after the surrounding transaction commits
(`transaction.on_commit`; outside a transaction that is at once), so a worker
never looks for rows it cannot see yet. Tasks are addressed by their
registered names (`newsletter.tasks.<name>`), as Celery addresses them itself:
newsletter/tasks.py imports the modules that do the work, those queue through
here, and so nothing imports tasks.py and the imports run one way
(tasks → ledger, worker, services … → queue).

Nothing is lost when the broker is down: a task that cannot be handed to it
is written to the outbox (OutboxTask, in PostgreSQL) instead, and whoever
asked carries on as usual (the subscriber is told to check their inbox, the
editor sees "sending"). `outbox_drain` hands the outbox to the broker once it
answers again: beat runs it every BEAT_OUTBOX_SECONDS, and each worker runs
it as it starts. A task drained twice is harmless: every task is idempotent.
"""

import datetime
import logging
import math

from celery import current_app
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from newsletter.models import Delivery, OutboxTask

log = logging.getLogger(__name__)


class _Broker:
    """Whether the broker answered lately. Celery's client retries a refused
    connection for several seconds; once that happened, a request that queues
    something asks the broker with one quick ping (PROBE_SECONDS at most)
    instead, until it answers again."""

    PROBE_SECONDS = 0.3

    def __init__(self):
        self.down = False

    def usable(self, app) -> bool:
        if not self.down:
            return True
        url = app.conf.broker_url or ""
        if not url.startswith(("redis://", "rediss://", "unix://")):
            return True
        import redis

        try:
            redis.Redis.from_url(
                url, socket_connect_timeout=self.PROBE_SECONDS, socket_timeout=self.PROBE_SECONDS,
                retry=None,
            ).ping()
        except redis.RedisError:
            return False
        self.down = False
        return True


_broker = _Broker()


def _task(name: str):
    """The task registered as newsletter.tasks.<name> (or under a full name).
    Celery imports the apps' tasks modules lazily (autodiscover_tasks), so the
    first lookup in a process that has not booted a worker imports them."""
    full = name if "." in name else f"newsletter.tasks.{name}"
    if full not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[full]


def _publish(task, args, countdown):
    """apply_async, once more on a fresh producer pool when the app's pool was
    closed (Celery closes it on app.close() and after a fork; kombu then says
    "Acquire on closed pool", which is not the broker being away)."""
    try:
        task.apply_async(tuple(args), countdown=countdown or None, retry=False)
    except RuntimeError as exc:
        if "closed pool" not in str(exc):
            raise
        from kombu import pools

        pools.reset()  # kombu's producer pools keyed by this broker hold the closed one
        task.app._pool = None  # Celery makes new ones on next use
        task.app.amqp._producer_pool = None
        task.apply_async(tuple(args), countdown=countdown or None, retry=False)


def _send(task, *args, countdown: float = 0) -> bool:
    """Hand one task to the broker, or, when it cannot be reached, to the
    outbox. True when the broker took it."""
    if _broker.usable(task.app):
        try:
            _publish(task, args, countdown)
            return True
        except BrokerError as exc:
            _broker.down = True
            log.warning("broker unreachable: %s%s kept in the outbox (%s)", task.name, args, exc)
    not_before = timezone.now() + datetime.timedelta(seconds=countdown) if countdown else None
    OutboxTask.objects.create(task=task.name, args=list(args), not_before=not_before)
    return False


def outbox_drain(limit: int = 1000) -> int:
    """Hand what the outbox holds to the broker, oldest first; stop at the first
    refusal (the broker is still away). Returns how many went. Concurrent
    drains take different rows (SKIP LOCKED)."""
    drained = 0
    with transaction.atomic():
        rows = OutboxTask.objects.order_by("pk")
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        for row in rows[:limit]:
            task = _task(row.task)
            if not _broker.usable(task.app):
                break
            countdown = max(0.0, (row.not_before - timezone.now()).total_seconds()) if (
                row.not_before) else 0
            try:
                _publish(task, row.args, countdown)
            except BrokerError as exc:
                _broker.down = True
                log.warning("outbox: broker still unreachable (%s)", exc)
                break
            row.delete()
            drained += 1
    if drained:
        log.info("outbox: %d task(s) handed to the broker", drained)
    return drained


def dispatch_start_queue(dispatch_id: int) -> None:
    """Start a dispatch in a worker (render it, create its deliveries, fan out)."""
    transaction.on_commit(lambda: _send(_task("start_dispatch"), dispatch_id))


def batches_queue(dispatch_id: int) -> None:
    """Enough batch tasks for the dispatch's pending rows, counted at commit.
    Extra tasks are harmless: a batch with nothing to claim returns at once."""
    transaction.on_commit(lambda: _fan_out(dispatch_id))


def _fan_out(dispatch_id: int) -> int:
    pending = Delivery.objects.filter(dispatch_id=dispatch_id, status=Delivery.Status.PENDING)
    count = math.ceil(pending.count() / settings.NEWSLETTER_BATCH_SIZE)
    for sent in range(count):
        if not _send(_task("send_batch"), dispatch_id):
            # The broker is away: the rest go straight to the outbox.
            OutboxTask.objects.bulk_create(
                OutboxTask(task=_task("send_batch").name, args=[dispatch_id])
                for _i in range(count - sent - 1)
            )
            break
    return count


def batch_retry_queue(dispatch_id: int, countdown: float) -> None:
    """One follow-up batch when the earliest retry of a dispatch is due."""
    transaction.on_commit(lambda: _send(_task("send_batch"), dispatch_id, countdown=countdown))


def subscription_emails_queue(subscriber_ids: list[int]) -> None:
    """The confirmation (or "already subscribed") emails, in batches. A broker
    outage must not change what the subscriber is told: the batch waits in the
    outbox and its emails go out when the broker is back."""
    def queue():
        size = max(1, settings.NEWSLETTER_CONFIRMATION_BATCH_SIZE)
        for start in range(0, len(subscriber_ids), size):
            _send(_task("send_subscription_emails"), subscriber_ids[start : start + size])

    transaction.on_commit(queue)


def staff_notice_queue(notice: str, **ids) -> None:
    """One staff notice (newsletter/staff_notices.py), after commit, through the
    outbox while the broker is away, like every other task. Never raises: a
    failure is logged and must not undo the editorial step it reports."""
    def queue():
        try:
            _send(_task("send_staff_notice"), notice, ids)
        except Exception:
            log.exception("could not queue staff notice %s %s", notice, ids)

    transaction.on_commit(queue)


def welcome_queue(subscriber_id: int) -> None:
    """The welcome email to a subscriber who has just confirmed (through the
    outbox while the broker is away)."""
    transaction.on_commit(lambda: _send(_task("send_welcome"), subscriber_id))
