from celery import shared_task

from bulletin import services


@shared_task
def publish_scheduled():
    """Beat runs this every minute; safe to run twice (see services.publish_scheduled)."""
    return services.publish_scheduled()


@shared_task(acks_late=False)
def send_staff_notice(notice: str, **ids):
    """One staff notice to everyone who should hear of it (bulletin/notifications.py).
    Not acks_late: a notice lost with a dying worker is better than one sent twice."""
    from bulletin import notifications

    return notifications.notice_send(notice, **ids)
