"""After a publication, the new issue's pages are rendered into the page cache
before readers arrive (bulletin/pagecache/prerender.py)."""

import pytest
from django.test import TestCase

from bulletin import services, tasks
from bulletin.pagecache import prerender
from config.celery import app as celery_app
from tests.reader_content import sample_site

pytestmark = pytest.mark.django_db


def test_the_issues_pages_are_cached_in_every_language(client, django_assert_num_queries,
                                                      settings):
    settings.SITE_URL = "http://testserver"
    site = sample_site()
    statuses = prerender.pages_prerender(issue_id=site.first.pk)
    assert set(statuses.values()) == {200}
    assert {"/en/", "/be/", "/ru/", "/en/issues/1/", "/en/issues/1/azerbaijan/",
            "/be/issues/1/azerbaijan/", "/en/issues/1/oil/", "/en/topics/economy/",
            "/ru/feeds/rss/"} <= set(statuses)
    assert "/be/issues/1/oil/" not in statuses  # the article has no Belarusian text
    for path in ("/en/issues/1/azerbaijan/", "/ru/issues/1/", "/be/topics/security/"):
        with django_assert_num_queries(0):  # the first reader gets a cached page
            assert client.get(path).status_code == 200


def test_a_publication_queues_the_prerendering_for_a_worker(monkeypatch):
    site = sample_site()
    queued = []
    monkeypatch.setattr(celery_app, "send_task",
                        lambda name, args, **kw: queued.append((name, args)))
    celery_app.conf.task_always_eager = False  # a worker would run it (restored per test)
    try:
        with TestCase.captureOnCommitCallbacks(execute=True):
            services.issue_publish(issue=site.draft_issue, user=site.user)
    finally:
        celery_app.conf.task_always_eager = True
    assert queued == [(prerender.TASK, [site.draft_issue.pk])]
    assert tasks.prerender_issue.name == prerender.TASK
