"""PostgreSQL unreachable for the web process (its connection pointed at a
port nothing listens on; the shared server is never stopped): cached reader
pages are still served, every other request answers a short 503 page in the
visitor's language with Retry-After, never a 500; nothing stored is lost, and
pages come back as soon as the database does."""

import contextlib

import pytest
from django.db import connection
from django.test import Client

from newsletter.models import Subscriber
from tests.newsletter.helpers import box_data, subscribe_url
from tests.reader_content import sample_site
from tests.smtp import free_port

pytestmark = pytest.mark.django_db(transaction=True)

CACHED = ("/en/", "/en/issues/1/", "/en/issues/1/azerbaijan/", "/ru/issues/1/azerbaijan/",
          "/en/feeds/rss/")
NOT_CACHED = ("/en/issues/2/", "/be/issues/1/azerbaijan/", "/en/topics/security/")


@contextlib.contextmanager
def database_unreachable():
    """This process's connection goes to a port nothing listens on."""
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(free_port()))
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def test_cached_pages_200_others_503_in_the_visitors_language(need_postgres, redis_cache,
                                                              figures):
    """PostgreSQL unreachable for the web process (its connection pointed at a dead port):
    cached pages are served, the rest answers 503 with Retry-After in the page's language."""
    site = sample_site()
    client = Client(raise_request_exception=False)
    desk = Client(raise_request_exception=False)
    desk.force_login(site.user)
    before = {path: client.get(path).content for path in CACHED}
    with database_unreachable():
        for path in CACHED:
            response = client.get(path)
            assert response.status_code == 200, path
            assert response.content == before[path], path
        for path in NOT_CACHED:
            response = client.get(path)
            assert response.status_code == 503, path
            assert response["Retry-After"] == "30"
            assert "no-store" in response["Cache-Control"]
        russian = client.get("/ru/issues/2/").content.decode()
        assert 'lang="ru"' in russian and "Traceback" not in russian
        assert "Скоро вернёмся" in russian
        assert "Хутка вернемся" in client.get("/be/topics/").content.decode()
        search = client.get("/en/search/", {"q": "Aliyev"})
        assert search.status_code == 503 and "Back in a moment" in search.content.decode()
        answer = client.post(subscribe_url("ru"), box_data("reader@example.org", "ru"))
        assert answer.status_code == 503
        assert desk.get("/admin/bulletin/issue/").status_code == 503
    figures.update(cached_pages_200=len(CACHED), other_pages_503=len(NOT_CACHED) + 4)
    # Back: nothing lost, and the pages that were refused are served.
    assert client.get("/en/issues/2/").status_code == 200
    assert client.post(subscribe_url("ru"), box_data("reader@example.org", "ru")).status_code < 400
    assert Subscriber.objects.filter(email="reader@example.org").exists()


def test_a_bad_query_is_still_a_500(need_postgres, settings):
    """Only an unreachable database is an outage; a programming error is not hidden."""
    from django.db import ProgrammingError

    from config.unavailable import is_outage

    assert not is_outage(ProgrammingError("relation does not exist"))
    assert not is_outage(ValueError("x"))
