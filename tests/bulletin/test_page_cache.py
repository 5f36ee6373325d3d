"""The process's own copy of the page cache (bulletin/pagecache/generation.py): a cached page
costs one round trip to the shared cache (the generation), or none with
PAGE_CACHE_GENERATION_TTL; a publication elsewhere is seen at once, or within
that many seconds."""

import pytest
from django.core.cache import caches

from bulletin import services
from bulletin.pagecache import generation as page_cache
from tests.reader_content import sample_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_reads(monkeypatch):
    """The keys read from the shared cache."""
    reads = []
    backend = caches["default"]  # the backend itself, not the proxy in front of it
    real_get = backend.get

    def get(key, *args, **kwargs):
        reads.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(backend, "get", get)
    return reads


def test_a_cached_page_costs_one_read_of_the_generation(client, cache_reads,
                                                        django_assert_num_queries):
    sample_site()
    first = client.get("/en/issues/1/azerbaijan/")
    cache_reads.clear()
    with django_assert_num_queries(0):
        again = client.get("/en/issues/1/azerbaijan/")
    assert again.content == first.content
    assert cache_reads == [page_cache.GENERATION_KEY]


def test_a_publication_elsewhere_is_seen_at_once_by_default(client, monkeypatch):
    site = sample_site()
    assert "No. 3" not in client.get("/en/issues/").content.decode()
    # The draft issue is published by another process (a worker, another web
    # process): this process's copy of the archive page must not be served.
    with monkeypatch.context() as elsewhere:
        elsewhere.setattr(page_cache._process, "adopt", lambda generation: None)
        services.issue_publish(issue=site.draft_issue, user=site.user)
    assert "No. 3" in client.get("/en/issues/").content.decode()


def test_with_a_generation_ttl_a_cached_page_costs_no_round_trip(client, settings, cache_reads):
    settings.PAGE_CACHE_GENERATION_TTL = 60
    sample_site()
    first = client.get("/en/issues/1/")
    cache_reads.clear()
    assert client.get("/en/issues/1/").content == first.content
    assert client.get("/ru/issues/1/").status_code == 200  # its first visit fills the cache
    cache_reads.clear()
    client.get("/ru/issues/1/")
    assert cache_reads == []


def test_with_a_generation_ttl_other_processes_are_seen_once_it_passes(client, settings,
                                                                      monkeypatch):
    settings.PAGE_CACHE_GENERATION_TTL = 1
    site = sample_site()
    clock = [page_cache.time.monotonic()]
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: clock[0])
    assert "No. 3" not in client.get("/en/issues/").content.decode()

    # Published by another process: the shared cache has the new generation,
    # this process's copy of the old one is trusted for one more second.
    with monkeypatch.context() as elsewhere:
        elsewhere.setattr(page_cache._process, "adopt", lambda generation: None)
        services.issue_publish(issue=site.draft_issue, user=site.user)
    clock[0] += 0.5
    assert "No. 3" not in client.get("/en/issues/").content.decode()
    clock[0] += 0.6
    assert "No. 3" in client.get("/en/issues/").content.decode()


def test_with_a_generation_ttl_the_publishing_process_sees_it_at_once(client, settings):
    settings.PAGE_CACHE_GENERATION_TTL = 60
    site = sample_site()
    assert "No. 3" not in client.get("/en/issues/").content.decode()
    services.issue_publish(issue=site.draft_issue, user=site.user)
    assert "No. 3" in client.get("/en/issues/").content.decode()


def test_the_process_copy_is_bounded(client, settings):
    settings.PAGE_CACHE_LOCAL_ITEMS = 3
    sample_site()
    for url in ("/en/", "/en/issues/", "/en/issues/1/", "/ru/", "/ru/issues/"):
        client.get(url)
    assert len(page_cache._process.values) == 3


def test_nothing_is_kept_when_caching_is_off(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.PAGE_CACHE_GENERATION_TTL = 60
    site = sample_site()
    client.get("/en/issues/")
    assert page_cache._process.values == {}
    services.issue_publish(issue=site.draft_issue, user=site.user)
    assert "No. 3" in client.get("/en/issues/").content.decode()


@pytest.fixture
def generation_bumps(monkeypatch):
    """Each write of the cache generation (a set, or Redis's compare-and-set),
    with whether a transaction was open."""
    from django.db import connection

    backend = caches["default"]
    real_set = backend.set
    bumps = []

    def counting_set(key, *args, **kwargs):
        if key == page_cache.GENERATION_KEY:
            bumps.append("in a transaction" if connection.in_atomic_block else "committed")
        return real_set(key, *args, **kwargs)

    monkeypatch.setattr(backend, "set", counting_set)
    real_swap = getattr(backend, "compare_and_set", None)
    if real_swap is not None:
        # Redis: a publication's commit makes its pages' generation current in one step.
        def counting_swap(key, *args, **kwargs):
            bumps.append("in a transaction" if connection.in_atomic_block else "committed")
            return real_swap(key, *args, **kwargs)

        monkeypatch.setattr(backend, "compare_and_set", counting_swap)
    return bumps


@pytest.mark.django_db(transaction=True)
def test_a_page_cached_during_a_publication_is_not_served_after_it(client, generation_bumps):
    """Another process that renders a page between the publication's change and
    its commit caches the old content; once committed, nobody is served it. And
    the publishing thread itself, inside the transaction, neither reads nor
    writes the page cache: it sees its own change at once."""
    import threading

    from django.db import connections, transaction
    from django.test import Client

    site = sample_site()
    generation_bumps.clear()
    seen_elsewhere = []

    def another_process():
        try:
            seen_elsewhere.append(Client().get("/en/issues/").content.decode())
        finally:
            connections.close_all()

    with transaction.atomic():
        services.issue_publish(issue=site.draft_issue, user=site.user)
        reader = threading.Thread(target=another_process)
        reader.start()
        reader.join()
        assert "No. 3" in client.get("/en/issues/").content.decode()  # its own change
    assert "No. 3" not in seen_elsewhere[0]  # the old archive, rendered and cached meanwhile
    assert generation_bumps == ["committed"]
    assert "No. 3" in client.get("/en/issues/").content.decode()
    assert "No. 3" in Client().get("/en/issues/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_publication_bumps_the_generation_once(generation_bumps):
    """One invalidation path (bulletin/pagecache/invalidation.py): the issue's save,
    its articles' UPDATE and the workflow's content_changed signal bump it once,
    when the publication commits."""
    site = sample_site()
    generation_bumps.clear()
    services.issue_publish(issue=site.draft_issue, user=site.user)
    assert generation_bumps == ["committed"]


def test_inside_a_test_case_a_change_bumps_the_generation_at_once(generation_bumps):
    """A test case's own transaction never commits: the change is as visible as
    it will ever be when it is made, so the generation is bumped then, once."""
    site = sample_site()
    generation_bumps.clear()
    services.issue_publish(issue=site.draft_issue, user=site.user)
    assert len(generation_bumps) == 1


def test_a_visitor_without_a_session_is_answered_before_the_view(client):
    """PageCacheMiddleware: the cached page, with the same headers, before URL
    resolution, sessions and the view (so no `request.user` is ever made)."""
    sample_site()
    first = client.get("/en/issues/1/azerbaijan/")
    assert hasattr(first.wsgi_request, "user")  # a miss: the view built it

    early = client.get("/en/issues/1/azerbaijan/")
    assert not hasattr(early.wsgi_request, "user")
    assert early.content == first.content
    headers = ("ETag", "Cache-Control", "Vary", "Content-Language", "Content-Security-Policy",
               "X-Frame-Options", "Content-Length")
    assert {h: early[h] for h in headers} == {h: first[h] for h in headers}
    assert client.get("/en/issues/1/azerbaijan/", HTTP_IF_NONE_MATCH=first["ETag"]
                      ).status_code == 304


@pytest.mark.parametrize("cookie", ["sessionid=abc", "messages=abc"])
def test_a_visitor_with_a_session_or_messages_goes_through_the_view(client, cookie):
    sample_site()
    first = client.get("/en/issues/1/")
    response = client.get("/en/issues/1/", HTTP_COOKIE=cookie)
    assert hasattr(response.wsgi_request, "user")
    assert response.content == first.content  # still shared: nothing of theirs on it


def test_only_a_url_without_a_query_string_is_answered_early(client):
    sample_site()
    client.get("/en/topics/security/")
    assert not hasattr(client.get("/en/topics/security/").wsgi_request, "user")
    # ?page=1 is the same page, but which parameters matter is the view's to say.
    paged = client.get("/en/topics/security/", {"page": "1"})
    assert hasattr(paged.wsgi_request, "user") and paged.status_code == 200
    assert client.get("/en/topics/security/", {"page": "x"}).status_code == 404


def test_a_language_switched_off_is_not_answered_from_the_cache(client):
    from bulletin.models import Language

    sample_site()
    assert client.get("/be/issues/1/").status_code == 200
    belarusian = Language.objects.get(code="be")
    belarusian.is_live = False
    belarusian.save()
    assert client.get("/be/issues/1/").status_code == 404


def test_feeds_are_answered_before_the_view_too(client):
    sample_site()
    first = client.get("/en/feeds/rss/")
    assert hasattr(first.wsgi_request, "user")
    early = client.get("/en/feeds/rss/")
    assert not hasattr(early.wsgi_request, "user")
    assert early.content == first.content
    assert early["Content-Type"] == first["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert early["Content-Length"] == str(len(first.content))
