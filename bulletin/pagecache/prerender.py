"""Pages rendered before readers ask for them: the rush after a publication.

A publication's pages are the home page, the archive, the issue, each of its
articles in the languages it has, the topics it touches and the feeds, in
every live language (`issue_paths`). They are asked for as an anonymous
reader would ask (through the whole middleware stack, on SITE_URL's host), so
what lands in the cache is exactly what readers get. Twice:

- ahead of the commit (`pages_render_ahead`, on `signals.issue_publishing`):
  inside the publishing transaction, which already sees the published issue,
  under the generation its commit will make current (generation.py says how),
  so the first readers after the commit find them cached instead of all
  missing at once. At most PAGE_CACHE_AHEAD_SECONDS are spent on it, and a
  page that fails is left to its first reader; the publication goes on
  whatever happens here.
- once it has committed (`signals.issue_published`), a task in a worker asks
  for them again (`pages_prerender`): whatever the first pass did not leave in
  the cache (it ran out of time, a page failed, the commit found the
  generation changed by another edit, the shared cache was down) is rendered
  there before the newsletter sends readers to it. When the first pass
  rendered every page and its generation is still the current one, the task
  has nothing to do and asks for nothing: asking for 61 cached pages at once
  costs a core for a fraction of a second, at the very moment the first
  readers arrive. With tasks run in-process (the embedded default) nothing is
  queued.
"""

import logging
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils.translation import get_language, override

from bulletin import languages
from bulletin.pagecache import generation

log = logging.getLogger(__name__)

TASK = "bulletin.tasks.prerender_issue"

# Issues whose publication committed with every page rendered ahead, and the
# generation they were rendered for (until on_issue_published takes them).
_rendered_ahead = threading.local()


def issue_paths(issue) -> list[str]:
    """The reader paths a publication of `issue` changes, in every live language."""
    from bulletin.models import Article

    articles = list(Article.objects.published().filter(issue=issue).select_related("topic"))
    paths = []
    for code in languages.codes():
        with override(code):
            paths += [reverse("bulletin:home"), reverse("bulletin:archive"),
                      issue.url_in(code), reverse("bulletin:feed_rss"),
                      reverse("bulletin:feed_atom")]
        paths += [article.url_in(code) for article in articles if article.has_language(code)]
        paths += sorted({article.topic.url_in(code) for article in articles if article.topic})
    return list(dict.fromkeys(paths))


def _reader():
    """A client that asks as an anonymous reader on SITE_URL's host."""
    from django.test import Client

    site = urlsplit(settings.SITE_URL)
    return Client(HTTP_HOST=site.netloc, secure=site.scheme == "https",
                  raise_request_exception=False)


def pages_prerender(*, issue_id: int, rendered_for: str | None = None) -> dict:
    """Render the issue's pages into the page cache; returns what each answered.
    `rendered_for`: the generation all of them were rendered ahead for, if they
    were (nothing to do while it is current)."""
    from bulletin.models import Issue

    issue = Issue.objects.filter(pk=issue_id, status=Issue.Status.PUBLISHED).first()
    if issue is None:
        return {}
    if rendered_for and generation.is_current(rendered_for):
        log.info("pre-rendered 0 pages of issue %s: all were cached ahead of its commit",
                 issue.number)
        return {}
    reader = _reader()
    statuses = {path: reader.get(path).status_code for path in issue_paths(issue)}
    log.info("pre-rendered %d pages of issue %s", len(statuses), issue.number)
    return statuses


def pages_render_ahead(sender, issue, **kwargs):
    """Inside the publishing transaction: render `issue`'s pages under the
    generation its commit will make current. Returns how many were asked for."""
    ahead = generation.generation_ahead() if settings.PAGE_CACHE_AHEAD_SECONDS > 0 else None
    if ahead is None:
        return 0
    began = time.monotonic()
    reader, asked, failed = _reader(), 0, 0
    paths = issue_paths(issue)
    # The client's requests switch the thread's language; the publisher's
    # own response is in theirs.
    with override(get_language()), generation.rendering_ahead(ahead):
        for path in paths:
            if time.monotonic() - began > settings.PAGE_CACHE_AHEAD_SECONDS:
                break
            asked += 1
            try:
                # A database error rolls back this page alone, not the publication.
                with transaction.atomic():
                    if reader.get(path).status_code != 200:
                        failed += 1
            except DatabaseError as exc:
                failed += 1
                log.warning("rendering %s ahead of the publication failed: %s", path, exc)
    log.info("rendered %d pages of issue %s ahead of its publication in %.2f s (%d failed)",
             asked, issue.number, time.monotonic() - began, failed)
    if asked == len(paths) and not failed:
        issue_id = issue.pk
        transaction.on_commit(lambda: _done_ahead().__setitem__(issue_id, ahead))
    return asked


def _done_ahead() -> dict:
    if not hasattr(_rendered_ahead, "issues"):
        _rendered_ahead.issues = {}
    return _rendered_ahead.issues


def on_issue_published(sender, issue_id, **kwargs):
    """Queue the pre-rendering in a worker (nothing in-process: see the module)."""
    from celery import current_app

    rendered_for = _done_ahead().pop(issue_id, None)
    if current_app.conf.task_always_eager:
        return
    try:
        # By name: nothing imports a tasks module (docs/ARCHITECTURE.md).
        current_app.send_task(TASK, args=[issue_id], kwargs={"rendered_for": rendered_for},
                              retry=False)
    except Exception as exc:  # the broker is down: readers render the pages instead
        log.warning("could not queue the pre-rendering of issue %s: %s", issue_id, exc)
