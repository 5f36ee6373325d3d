"""Thin Celery tasks: they take ids and call the module that does the work.

Nothing imports this module: newsletter.dispatch.queue, the one place that
queues, addresses these tasks by their registered names, so the imports run
one way (this module → the modules doing the work → queue).

Settings that matter (config/settings.py): acks_late with
reject_on_worker_lost, so a batch whose worker dies is queued again; prefetch
1; a Redis visibility_timeout far longer than any batch. Running a task twice
is harmless: every recipient is claimed in the database before sending.
"""

from celery import shared_task

from newsletter import mailbox, services, staff_notices
from newsletter.dispatch import ledger, liveness, queue, retention, scheduling, worker


@shared_task
def start_dispatch(dispatch_id: int):
    return ledger.start(dispatch_id=dispatch_id)


@shared_task
def send_batch(dispatch_id: int):
    return worker.send_batch(dispatch_id=dispatch_id)


@shared_task(acks_late=False)
def start_due_dispatches():
    return scheduling.dispatch_start_due()


@shared_task(acks_late=False)
def sweep():
    liveness.beat(liveness.BEAT)  # beat's last run, for /healthz
    return ledger.sweep()


@shared_task(acks_late=False)
def prune_ledger():
    return retention.deliveries_prune()


@shared_task
def send_subscription_emails(subscriber_ids):
    """Confirmation (or "already subscribed") emails for one batch of subscribers,
    whose right to be sent one was already claimed (services.subscriber_subscribe, import_csv)."""
    return services.subscriber_send_subscription_emails(subscriber_ids=list(subscriber_ids))


@shared_task
def send_welcome(subscriber_id):
    """The welcome email to a subscriber who has just confirmed."""
    return services.subscriber_send_welcome(subscriber_id=subscriber_id)


@shared_task(acks_late=False)
def outbox_drain():
    """Beat: hand the tasks kept while the broker was unreachable to it."""
    return queue.outbox_drain()


@shared_task(acks_late=False)
def process_bounce_mailbox():
    """Beat: read, record and delete the reports in BOUNCE_MAILBOX_URL."""
    return mailbox.mailbox_poll()


@shared_task(acks_late=False)
def send_staff_notice(notice: str, ids: dict | None = None, **more_ids):
    """One staff notice to everyone who should hear of it (newsletter/staff_notices.py).
    The ids come as one argument (the outbox keeps positional arguments only);
    as keywords from a message queued by an older release.
    Not acks_late: a notice lost with a dying worker is better than one sent twice."""
    return staff_notices.notice_send(notice, **(ids or {}), **more_ids)
