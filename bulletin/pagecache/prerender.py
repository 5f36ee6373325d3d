"""Pages rendered before readers ask for them: the rush after a publication.

Once a publication commits (`signals.issue_published`), a task renders the new
issue's pages in every live language: the home page, the archive, the issue,
each of its articles in the languages it has, the topics it touches and the
feeds. They are asked for as an anonymous reader would ask (through the whole
middleware stack, on SITE_URL's host), so what lands in the cache is exactly
what readers get, before the newsletter sends them there. With tasks run
in-process (the embedded default) there is no worker to do it ahead of time,
and nothing is queued.
"""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils.translation import override

from bulletin import languages

log = logging.getLogger(__name__)

TASK = "bulletin.tasks.prerender_issue"


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


def pages_prerender(*, issue_id: int) -> dict:
    """Render the issue's pages into the page cache; returns what each answered."""
    from django.test import Client

    from bulletin.models import Issue

    issue = Issue.objects.filter(pk=issue_id, status=Issue.Status.PUBLISHED).first()
    if issue is None:
        return {}
    site = urlsplit(settings.SITE_URL)
    reader = Client(HTTP_HOST=site.netloc, secure=site.scheme == "https",
                    raise_request_exception=False)
    statuses = {path: reader.get(path).status_code for path in issue_paths(issue)}
    log.info("pre-rendered %d pages of issue %s", len(statuses), issue.number)
    return statuses


def on_issue_published(sender, issue_id, **kwargs):
    """Queue the pre-rendering in a worker (nothing in-process: see the module)."""
    from celery import current_app

    if current_app.conf.task_always_eager:
        return
    try:
        # By name: nothing imports a tasks module (docs/ARCHITECTURE.md).
        current_app.send_task(TASK, args=[issue_id], retry=False)
    except Exception as exc:  # the broker is down: readers render the pages instead
        log.warning("could not queue the pre-rendering of issue %s: %s", issue_id, exc)
