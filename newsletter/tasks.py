"""Thin Celery tasks: they take ids and call newsletter.dispatch or services.

Settings that matter (config/settings.py): acks_late with
reject_on_worker_lost, so a batch whose worker dies is queued again; prefetch
1; a Redis visibility_timeout far longer than any batch. Running a task twice
is harmless: every recipient is claimed in the database before sending.
"""

from celery import shared_task

from newsletter import dispatch, services


@shared_task
def start_dispatch(dispatch_id: int):
    return dispatch.start(dispatch_id=dispatch_id)


@shared_task
def send_batch(dispatch_id: int):
    return dispatch.send_batch(dispatch_id=dispatch_id)


@shared_task(acks_late=False)
def start_due_dispatches():
    return dispatch.start_due_dispatches()


@shared_task(acks_late=False)
def sweep():
    return dispatch.sweep()


@shared_task
def send_subscription_emails(subscriber_ids):
    """Confirmation (or "already subscribed") emails for one batch of subscribers,
    whose right to be sent one was already claimed (services.subscribe, import_csv)."""
    return services.send_subscription_emails(subscriber_ids=list(subscriber_ids))


@shared_task
def send_welcome(subscriber_id):
    """The welcome email to a subscriber who has just confirmed."""
    return services.send_welcome(subscriber_id=subscriber_id)
