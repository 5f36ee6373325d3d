from celery import shared_task

from bulletin import services


@shared_task
def publish_scheduled():
    """Beat runs this every minute; safe to run twice (see services.publish_scheduled)."""
    return services.publish_scheduled()

