"""Redis, as the cache, stopped under the web: reader pages come from the
database, search and the subscribe form work, errors are logged once a minute;
once Redis is back, nothing older than the last publication is served."""

import logging
import time

import pytest

from bulletin import services
from newsletter.models import Subscriber
from tests.newsletter.helpers import post_subscribe
from tests.reader_content import sample_site

pytestmark = pytest.mark.django_db

PAGES = ("/en/", "/en/issues/", "/en/issues/1/", "/en/issues/1/azerbaijan/",
         "/ru/issues/1/azerbaijan/", "/en/topics/security/", "/en/feeds/rss/")


def test_reader_pages_search_and_subscribe_work_while_the_cache_is_down(
    client, redis_cache, caplog, mailoutbox, django_capture_on_commit_callbacks, figures
):
    """The cache's Redis (a server of the test's own) stopped under the web: reader pages,
    search and the subscribe form answer from the database as before."""
    sample_site()
    before = {path: client.get(path) for path in PAGES}
    assert all(r.status_code == 200 for r in before.values()), before
    redis_cache.stop()

    with caplog.at_level(logging.WARNING, logger="config.cache"):
        for path in PAGES:
            response = client.get(path)
            assert response.status_code == 200, path
            assert response.content == before[path].content, path
        found = client.get("/en/search/", {"q": "Aliyev"})
        assert found.status_code == 200
        assert "Azerbaijan to remain" in found.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            answer = post_subscribe(client, "reader@example.org", "ru")
    assert answer.status_code in (200, 302)
    assert Subscriber.objects.get(email="reader@example.org").status == "pending"
    (confirmation,) = mailoutbox
    assert confirmation.to == ["reader@example.org"]
    # Dozens of failed cache calls, one line in the log.
    failures = [r for r in caplog.records if r.getMessage().startswith("cache unreachable")]
    assert len(failures) == 1, [r.getMessage() for r in caplog.records]
    figures.update(pages_200=len(PAGES), search="200", subscribe=answer.status_code,
                   confirmation_emails=len(mailoutbox), log_lines=len(failures))


def test_the_subscribe_rate_limit_still_holds_per_process(client, redis_cache, settings,
                                                         django_capture_on_commit_callbacks):
    settings.NEWSLETTER_SUBSCRIBE_RATE_PER_IP = "3/h"
    redis_cache.stop()
    with django_capture_on_commit_callbacks(execute=True):
        answers = [post_subscribe(client, f"r{i}@example.org").status_code for i in range(5)]
    assert answers[:3] != [429] * 3 and 500 not in answers
    assert answers[3:] == [429, 429]
    assert Subscriber.objects.count() == 3


def test_a_publication_during_the_outage_is_seen_once_the_cache_is_back(client, redis_cache,
                                                                        monkeypatch, figures):
    """An issue published while the cache's Redis is down (its invalidation is lost); Redis
    comes back with the old pages in it: none of them is served."""
    monkeypatch.setattr("config.cache.OUTAGE_BACKOFF_SECONDS", 0.05)
    site = sample_site()
    assert "No. 3" not in client.get("/en/issues/").content.decode()  # cached now
    redis_cache.stop()
    services.issue_publish(issue=site.draft_issue, user=site.user)  # its invalidation is lost
    assert "No. 3" in client.get("/en/issues/").content.decode()
    redis_cache.start()  # with the old generation and the old archive page in it
    time.sleep(0.1)  # past the backoff: the next page asks Redis again
    stale = sum("No. 3" not in client.get("/en/issues/").content.decode() for _ in range(3))
    figures.update(stale_pages_after_restart=stale)
    assert stale == 0


def test_a_cache_that_hangs_costs_a_bounded_time(client, settings):
    """A Redis that accepts connections and never answers (a listening socket
    nobody reads): each page waits at most the cache timeout, once per second."""
    import socket

    from config.env import cache_config

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(100)
        settings.CACHES = cache_config(f"redis://127.0.0.1:{silent.getsockname()[1]}/0", 0.3)
        sample_site()
        started = time.monotonic()
        for _ in range(5):
            assert client.get("/en/issues/1/").status_code == 200
        assert time.monotonic() - started < 3
