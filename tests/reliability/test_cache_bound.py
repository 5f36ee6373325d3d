"""The page cache cannot be inflated: only canonical URLs are cached. Other
spellings of a URL redirect to it (or 404), query parameters a page ignores
share its entry, and a Host that is not allowed is a 400 even where the page
is cached. Counted in a Redis of the test's own."""

import pytest
import redis
from django.test import Client

from bulletin.pagecache import generation
from tests.reader_content import sample_site

pytestmark = pytest.mark.django_db

CANONICAL = ("/en/", "/en/issues/", "/en/issues/1/", "/en/issues/1/azerbaijan/",
             "/ru/issues/1/azerbaijan/", "/en/topics/security/", "/en/feeds/rss/",
             "/en/feeds/atom/", "/sitemap.xml")


def spellings(n: int):
    for i in range(n):
        yield f"/en/issues/{'0' * (1 + i % 4)}1/", (301,)
        yield f"/en/issues/{'0' * (1 + i % 3)}1/azerbaijan/", (301,)
        yield f"/en/issues/1/?utm_source=x{i}", (200,)
        yield f"/en/issues/1/azerbaijan/?fbclid={i}", (200,)
        yield f"/en/feeds/rss/?p=x{i}", (200,)
        yield f"/en/feeds/atom/?p={i}", (200,)
        yield f"/sitemap.xml?p=0{1 + i % 2}", (200, 404)
        yield f"/en/topics/security/?junk={i}", (200,)


def test_a_flood_of_url_spellings_adds_no_cache_entry(redis_cache, settings, figures):
    """Every reader page cached at its canonical URL, then 320 requests for other spellings
    of the same URLs (leading zeros, ignored query parameters, feeds' ?p=): the shared cache
    and each process's copy hold exactly as many entries as before."""
    sample_site()
    client = Client()
    for path in CANONICAL:
        assert client.get(path).status_code == 200, path
    shared = redis.Redis.from_url(redis_cache.url)
    before, local_before = set(shared.keys()), len(generation._process.values)
    statuses = {}
    for path, expected in spellings(40):
        response = client.get(path)
        assert response.status_code in expected, (path, response.status_code)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        if response.status_code == 301:
            assert "0" not in response["Location"].split("/")[3], response["Location"]
    figures.update(requests=sum(statuses.values()), statuses=statuses,
                   shared_entries_added=len(set(shared.keys()) - before),
                   process_entries_added=len(generation._process.values) - local_before)
    assert set(shared.keys()) == before, set(shared.keys()) - before
    assert len(generation._process.values) == local_before
    # The redirect leads to the cached canonical page.
    assert client.get("/en/issues/001/", follow=True).redirect_chain == [("/en/issues/1/", 301)]


def test_a_host_that_is_not_allowed_gets_400_even_for_a_cached_page(redis_cache, settings):
    settings.ALLOWED_HOSTS = ["bulletin.example.org"]
    sample_site()
    client = Client(HTTP_HOST="bulletin.example.org")
    assert client.get("/en/issues/1/").status_code == 200  # cached now
    evil = Client(HTTP_HOST="evil.example.com", raise_request_exception=False)
    assert evil.get("/en/issues/1/").status_code == 400
    assert evil.get("/en/feeds/rss/").status_code == 400
