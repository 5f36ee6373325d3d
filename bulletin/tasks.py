from celery import shared_task

from bulletin import services


@shared_task
def publish_scheduled():
    """Beat runs this every minute; safe to run twice (see services.publish_scheduled)."""
    return services.publish_scheduled()


@shared_task(acks_late=False)
def prerender_issue(issue_id: int):
    """After a publication: the issue's pages into the page cache (pagecache/prerender.py)."""
    from bulletin.pagecache import prerender

    return prerender.pages_prerender(issue_id=issue_id)
