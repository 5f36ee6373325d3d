"""The reader site in a real browser: Debian's Chromium driven by Playwright
against pytest-django's live server, with content published through the
workflow services. Screenshots go to pytest's tmp_path."""

import os
import re

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# test makes around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(site, browser):
    """The shared browser (tests/conftest.py), started once the site exists."""
    return browser


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_reader_journey(site, page, live_server, tmp_path):
    base = live_server.url

    # The root sends an English browser to the English home page.
    page.goto(base + "/")
    assert page.url == base + "/en/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "November 19 – November 25, 2018"
    assert page.get_by_text("The situation has worsened").first.is_visible()
    page.screenshot(path=tmp_path / "home-en.png", full_page=True)

    # Into an article, then switch to Russian: the same article, in Russian.
    page.get_by_role("link", name="Russian units stay after joint drills").first.click()
    assert page.url == base + "/en/issues/2/troops/"
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Русский").click()
    assert page.url == base + "/ru/issues/2/troops/"
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Российские подразделения остаются после учений")
    assert page.get_by_text("Ситуация ухудшилась").first.is_visible()
    page.screenshot(path=tmp_path / "article-ru.png", full_page=True)

    # No Belarusian translation: the issue page in Belarusian, with a note.
    page.get_by_role("navigation", name="Язык").get_by_role("link", name="Беларуская").click()
    assert page.url == base + "/be/issues/2/?untranslated=troops"
    assert page.get_by_role("note").inner_text().startswith("Артыкул, які вы чыталі")

    # "View all" leads to the archive, grouped by year.
    page.get_by_role("link", name="Паказаць усе").click()
    assert page.url == base + "/be/issues/"
    assert page.get_by_role("heading", level=2, name="2018").is_visible()
    page.screenshot(path=tmp_path / "archive-be.png", full_page=True)

    # Search in English, find the article, open it.
    page.goto(base + "/en/search/")
    page.get_by_label("Search the articles in this language").fill("Azerbaijan")
    page.get_by_role("button", name="Search").click()
    assert re.search(r"/en/search/\?q=Azerbaijan$", page.url)
    assert "1 article found for “Azerbaijan”" in page.get_by_role("status").inner_text()
    page.screenshot(path=tmp_path / "search-en.png", full_page=True)
    page.locator(".result__title a").first.click()
    assert page.url == base + "/en/issues/1/azerbaijan/"
    assert page.get_by_text("Also in:").is_visible()

    # The topic page draws the trend.
    page.get_by_role("link", name="Security issues").first.click()
    assert page.url == base + "/en/topics/security/"
    chart = page.locator("svg.timeline__chart")
    assert chart.get_attribute("role") == "img"
    assert "The situation has worsened for 1 week" in chart.get_attribute("aria-label")
    page.screenshot(path=tmp_path / "topic-en.png", full_page=True)
    assert len(list(tmp_path.glob("*.png"))) == 5


def test_keyboard_reader_can_skip_to_content(site, page, live_server):
    page.goto(live_server.url + "/ru/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Перейти к основному содержанию")
    assert skip.evaluate("e => e === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/ru/#main$"))  # the jump lands a moment after the key
