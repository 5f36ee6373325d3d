from celery import shared_task

from bulletin import services
from bulletin.images import image_make_renditions
from bulletin.pagecache import prerender


@shared_task
def publish_scheduled():
    """Beat runs this every minute; safe to run twice (see services.issue_publish_scheduled)."""
    return services.issue_publish_scheduled()


@shared_task
def image_renditions(image_id):
    """Queued after an upload commits; safe to run twice (existing renditions are kept)."""
    return len(image_make_renditions(image_id))


@shared_task(acks_late=False)
def prerender_issue(issue_id: int, rendered_for: str | None = None):
    """After a publication: the issue's pages into the page cache (pagecache/prerender.py)."""
    return prerender.pages_prerender(issue_id=issue_id, rendered_for=rendered_for)
