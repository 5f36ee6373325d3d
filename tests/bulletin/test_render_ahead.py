"""A publication renders its issue's pages ahead of its commit, under the
generation the commit makes current, so the first readers after it find them
cached (bulletin/pagecache/prerender.py, generation.py).

These tests commit for real (transactional_db): inside a test case's own
transaction, which never commits, there is nothing to render ahead of."""

import pytest
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.utils import translation

from bulletin import services, signals
from bulletin.models import Issue
from bulletin.pagecache import generation, prerender
from tests.reader_content import sample_site

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PAGES = ("/en/", "/ru/", "/be/", "/en/issues/3/", "/ru/issues/3/", "/en/issues/3/draft/",
             "/ru/issues/3/draft/", "/en/feeds/rss/", "/ru/topics/security/")


@pytest.fixture
def site(settings):
    settings.SITE_URL = "http://testserver"
    return sample_site()


def _reader_failing_at(path, failure):
    """A stand-in for prerender's reader that calls `failure()` when asked for
    `path`, and asks the real reader for every other page."""
    real_reader = prerender._reader

    class FailingReader:
        def __init__(self):
            self.client = real_reader()

        def get(self, asked):
            if asked == path:
                failure()
            return self.client.get(asked)

    return FailingReader


def _publish(site):
    services.issue_publish(issue=site.draft_issue, user=site.user, newsletter=False)


def test_the_first_readers_after_a_publication_get_its_pages_from_the_cache(
        site, client, django_assert_num_queries):
    before = generation.generation()
    _publish(site)
    assert generation.generation() != before
    for path in NEW_PAGES:
        with django_assert_num_queries(0):  # cached before anyone asked
            response = client.get(path)
        assert response.status_code == 200, path
    home = client.get("/en/").content.decode()
    assert "/en/issues/3/" in home  # the new issue, not the page from before it
    article = client.get("/ru/issues/3/draft/").content.decode()
    assert "Неопубликованный черновик о бюджете" in article


def test_nobody_sees_the_pages_rendered_ahead_before_the_commit(site, client):
    seen = {}

    def look(sender, issue, **kwargs):  # after the pages were rendered ahead, before the commit
        seen["generation"] = cache.get(generation.GENERATION_KEY)

    before = cache.get(generation.GENERATION_KEY)
    signals.issue_publishing.connect(look, dispatch_uid="test-look")
    try:
        _publish(site)
    finally:
        signals.issue_publishing.disconnect(dispatch_uid="test-look")
    assert seen["generation"] == before  # readers kept the generation from before
    assert cache.get(generation.GENERATION_KEY) != before


def test_an_edit_committed_meanwhile_makes_the_pages_rendered_ahead_unused(site, client):
    def edit_elsewhere(sender, issue, **kwargs):
        # Another process commits an edit (and bumps the generation) while the
        # publication renders: what was rendered ahead may not show it.
        cache.set(generation.GENERATION_KEY, "elsewhere", timeout=None)

    signals.issue_publishing.connect(edit_elsewhere, dispatch_uid="test-edit")
    ahead = []
    real = generation.generation_ahead
    try:
        generation.generation_ahead = lambda: ahead.append(real()) or ahead[-1]
        _publish(site)
    finally:
        generation.generation_ahead = real
        signals.issue_publishing.disconnect(dispatch_uid="test-edit")
    current = cache.get(generation.GENERATION_KEY)
    assert ahead and current not in ("elsewhere", ahead[0])  # a new one, as for any change
    assert "/en/issues/3/" in client.get("/en/").content.decode()


def test_a_change_after_the_pages_were_rendered_ahead_is_not_hidden_by_them(site, client):
    with transaction.atomic():
        _publish(site)
        ahead = connection.atomic_blocks[0].pages_ahead
        assert ahead is not None
        site.draft.title_en = "The budget, corrected"
        site.draft.save(update_fields=["title_en"])
    assert cache.get(generation.GENERATION_KEY) != ahead[1]
    assert "The budget, corrected" in client.get("/en/issues/3/draft/").content.decode()


def test_a_page_that_fails_ahead_is_left_to_its_first_reader(site, client, monkeypatch):
    def database_error():  # inside the publication's transaction
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")

    monkeypatch.setattr(prerender, "_reader", _reader_failing_at("/en/issues/3/", database_error))
    _publish(site)
    assert Issue.objects.get(pk=site.draft_issue.pk).status == Issue.Status.PUBLISHED
    assert client.get("/en/issues/3/").status_code == 200


def test_the_publisher_keeps_their_language(site):
    with translation.override("be"):
        _publish(site)
        assert translation.get_language() == "be"


def test_no_rendering_ahead_when_it_is_switched_off(site, settings, monkeypatch):
    settings.PAGE_CACHE_AHEAD_SECONDS = 0
    asked = []
    monkeypatch.setattr(prerender, "_reader", lambda: asked.append(1))
    _publish(site)
    assert asked == []
    assert Issue.objects.get(pk=site.draft_issue.pk).status == Issue.Status.PUBLISHED


@pytest.fixture
def queued(monkeypatch):
    """The tasks queued after the commit, as (name, args, kwargs), instead of a broker."""
    from celery import current_app

    app, sent = current_app._get_current_object(), []
    app.conf.task_always_eager = False  # (the next test's setup sets it back)
    monkeypatch.setattr(app, "send_task", lambda name, args=(), kwargs=None, **options:
                        sent.append((name, list(args), kwargs or {})))
    yield sent
    app.conf.task_always_eager = True


def _asked(monkeypatch):
    """The paths the pre-rendering asks for from now on."""
    real_reader, asked = prerender._reader, []

    class Counting:
        def __init__(self):
            self.client = real_reader()

        def get(self, path):
            asked.append(path)
            return self.client.get(path)

    monkeypatch.setattr(prerender, "_reader", Counting)
    return asked


def test_after_a_complete_pass_ahead_the_task_asks_for_nothing(site, queued, monkeypatch):
    _publish(site)
    [(name, args, kwargs)] = [task for task in queued if task[0] == prerender.TASK]
    assert args == [site.draft_issue.pk]
    assert kwargs["rendered_for"] == cache.get(generation.GENERATION_KEY)
    asked = _asked(monkeypatch)
    assert prerender.pages_prerender(issue_id=args[0], **kwargs) == {}
    assert asked == []  # every page is cached already: the first readers have the cores
    # Another edit has made a new generation since: the task renders them all again.
    generation.bump()
    statuses = prerender.pages_prerender(issue_id=args[0], **kwargs)
    assert asked == prerender.issue_paths(Issue.objects.get(pk=args[0]))
    assert set(statuses.values()) == {200}


def test_a_pass_ahead_with_a_failed_page_leaves_the_task_its_work(site, queued, monkeypatch):
    real_reader = prerender._reader

    def database_gone_once():
        monkeypatch.setattr(prerender, "_reader", real_reader)
        raise DatabaseError("the database went away")

    monkeypatch.setattr(prerender, "_reader",
                        _reader_failing_at("/en/issues/3/", database_gone_once))
    _publish(site)
    [(name, args, kwargs)] = [task for task in queued if task[0] == prerender.TASK]
    assert kwargs == {"rendered_for": None}
    asked = _asked(monkeypatch)
    statuses = prerender.pages_prerender(issue_id=args[0], **kwargs)
    assert "/en/issues/3/" in asked and statuses["/en/issues/3/"] == 200
