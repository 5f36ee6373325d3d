"""Shared by the browser tests: Debian's Chromium driven by Playwright."""

import pytest
from django.db import connections

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


@pytest.fixture
def browser(need_chromium):
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=need_chromium, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def own_db_connections():
    """Close the connections the test's own ORM calls opened while Playwright ran,
    or PostgreSQL refuses to drop the test database at the end."""
    yield
    connections.close_all()
