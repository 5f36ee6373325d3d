"""Thin Celery tasks for the subscription side: they take ids and call services."""

from celery import shared_task

from newsletter import services


@shared_task
def send_subscription_emails(subscriber_ids):
    """Confirmation (or "already subscribed") emails for one batch of subscribers,
    whose right to be sent one was already claimed (services.subscribe, import_csv)."""
    return services.send_subscription_emails(subscriber_ids=list(subscriber_ids))
