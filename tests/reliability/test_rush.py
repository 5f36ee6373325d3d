"""The rush after a publication: many readers miss the same page at once.
One request renders it (single flight); the others wait for its copy."""

import threading
import time
import uuid

import pytest
import requests

from bulletin import pages
from config.env import cache_config
from tests.reader_content import sample_site

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_misses_render_a_page_once(live_server, need_redis, settings, monkeypatch,
                                              figures):
    """24 readers ask for the same uncached article at the same moment (over HTTP to a live
    server, the page cache in Redis); its content takes 0.3 s to build. It is built once."""
    settings.CACHES = {"default": {**cache_config(need_redis)["default"],
                                   "KEY_PREFIX": f"rush-{uuid.uuid4().hex}"}}
    sample_site()
    built = []
    real = pages.article

    def slow_article(*args, **kwargs):
        built.append(time.monotonic())
        time.sleep(0.3)  # a cold render under load
        return real(*args, **kwargs)

    monkeypatch.setattr(pages, "article", slow_article)
    readers = 24
    start = threading.Barrier(readers)
    answers, seconds = [None] * readers, [0.0] * readers

    def read(i):
        with requests.Session() as session:
            start.wait()
            began = time.monotonic()
            answers[i] = session.get(live_server.url + "/en/issues/1/azerbaijan/", timeout=30)
            seconds[i] = time.monotonic() - began

    threads = [threading.Thread(target=read, args=(i,)) for i in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [200] * readers
    assert len({a.text for a in answers}) == 1
    assert "Azerbaijan to remain" in answers[0].text
    figures.update(readers=readers, builds=len(built), slowest_seconds=round(max(seconds), 2))
    assert len(built) == 1
