"""The cold article page's hottest queries are prepared on PostgreSQL: planned
once per connection, then executed with each page's values, and the page is
the same as with plain SQL (bulletin/prepared.py)."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bulletin import prepared
from tests.reader_content import scaled_site

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("need_postgres")]
# Closing the connection ends the test's transaction: these commit instead.
with_new_connections = pytest.mark.django_db(transaction=True)

NONCE = re.compile(r'nonce="[^"]*"')


def _page(client, url) -> str:
    cache.clear()  # a cold page: built from the database
    response = client.get(url)
    assert response.status_code == 200
    return NONCE.sub("", response.content.decode())


def _server_statements() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, generic_plans FROM pg_prepared_statements")
        return dict(cursor.fetchall())


@pytest.fixture
def article_url():
    content = scaled_site(9)  # new-0, new-3, new-6 share a topic
    article = content.latest.articles.get(slug="new-3")
    return f"/ru/issues/{content.latest.number}/{article.slug}/"


@with_new_connections
def test_the_article_its_neighbours_and_byline_run_as_prepared_statements(client, article_url):
    connection.close()  # a new connection has nothing prepared
    with CaptureQueriesContext(connection) as first:
        html = _page(client, article_url)
    executed = [q["sql"] for q in first.captured_queries if q["sql"].startswith("EXECUTE ")]
    assert len(executed) == 3, [q["sql"][:80] for q in first.captured_queries]
    names = {re.match(r"EXECUTE (\w+)", sql)[1] for sql in executed}
    assert names <= set(_server_statements())
    # The next pages plan nothing: each statement runs under its one generic plan.
    assert _page(client, article_url) == html
    assert all(_server_statements()[name] >= 2 for name in names)
    # The pager: the articles before and after this one in its topic.
    assert "/new-0/" in html and "/new-6/" in html


def test_a_prepared_page_is_the_page_plain_sql_makes(client, article_url, monkeypatch):
    with_statements = _page(client, article_url)
    monkeypatch.setattr(prepared, "_prepare", lambda *args: None)
    monkeypatch.setattr(prepared._server, "state", None)
    with CaptureQueriesContext(connection) as plain:
        without = _page(client, article_url)
    assert not [q for q in plain.captured_queries if q["sql"].startswith("EXECUTE ")]
    assert without == with_statements


@with_new_connections
def test_a_new_connection_prepares_again(client, article_url):
    html = _page(client, article_url)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        before = cursor.fetchone()[0]
    connection.close()
    assert _page(client, article_url) == html
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != before
    assert any(name.startswith("bulletin_") for name in _server_statements())


def test_a_statement_postgresql_cannot_prepare_runs_as_plain_sql_in_the_same_transaction():
    sql = "SELECT %s + %s"  # unknown + unknown: PostgreSQL cannot tell the operator
    assert prepared.server_side(connection, sql, 2) == sql
    with connection.cursor() as cursor:  # the transaction is not broken
        cursor.execute(sql, [2, 3])
        assert cursor.fetchone() == (5,)
    assert prepared.server_side(connection, sql, 2) == sql  # and it is not tried again
