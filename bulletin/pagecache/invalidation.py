"""The one way the page cache is invalidated.

A change a reader can see reaches `pages_invalidate` in one of two ways: the
workflow services send `bulletin.signals.content_changed` (once per change, for
the writes they make with UPDATE, which sends no model signal), and a save or
delete of an Article, Issue, Language or Topic (the admin's edit pages) sends
Django's post_save/post_delete. However many signals a transaction sends, the
generation is bumped once, when it commits (generation.bump_for_change; until
then the thread making the change bypasses the page cache): a publication,
which used to bump it three times, bumps it once. Wagtail's frontend cache listens to
page_published the same way. And when the shared cache answers again after an
outage (`signals.cache_recovered`), whatever it kept from before is stale.
"""

from django.db.models.signals import post_delete, post_save

from bulletin import signals
from bulletin.pagecache import generation


def pages_invalidate(**kwargs):
    generation.bump_for_change()


def pages_invalidate_after_outage(**kwargs):
    generation.bump()


def connect(content_models):
    """Called once from BulletinConfig.ready()."""
    signals.content_changed.connect(pages_invalidate, dispatch_uid="pages-content-changed")
    signals.cache_recovered.connect(
        pages_invalidate_after_outage, dispatch_uid="pages-cache-recovered"
    )
    from bulletin.pagecache import prerender

    signals.issue_publishing.connect(prerender.pages_render_ahead, dispatch_uid="pages-ahead")
    signals.issue_published.connect(prerender.on_issue_published, dispatch_uid="pages-prerender")
    for model in content_models:
        post_save.connect(pages_invalidate, sender=model, dispatch_uid=f"pages-{model.__name__}")
        post_delete.connect(
            pages_invalidate, sender=model, dispatch_uid=f"pages-del-{model.__name__}"
        )
