"""The whole subscription in a real browser: the Russian subscribe page, the
confirmation email in Russian, its link, "Вы успешно подписались".

Chromium is Debian's /usr/bin/chromium, driven by Playwright against
pytest-django's live server. Screenshots go to the test's tmp_path.
"""

import os
import re

import pytest

from newsletter.models import Subscriber
from tests.newsletter.helpers import ensure_languages

# Playwright's sync API runs an event loop in this thread; the ORM calls made
# by the test itself (reading the database) are still plain synchronous code.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.mark.browser
def test_subscribe_confirm_in_russian(
    browser, live_server, settings, mailoutbox, tmp_path, own_db_connections
):
    settings.SITE_URL = live_server.url  # links in the email point at this server
    ensure_languages()
    page = browser.new_page(locale="ru-RU", viewport={"width": 420, "height": 900})

    page.goto(f"{live_server.url}/ru/newsletter/subscribe/")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("#nl-language").input_value() == "ru"
    assert page.get_by_role("heading", name="Подпишитесь на нашу рассылку").is_visible()
    honeypot = page.locator("#nl-website").bounding_box()  # out of sight, off the left edge
    assert honeypot["x"] + honeypot["width"] <= 0
    # Keyboard users go from the address to the language to the button, never the honeypot.
    page.locator("#nl-email").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    page.screenshot(path=tmp_path / "1-subscribe-ru.png", full_page=True)

    page.locator("#nl-email").fill("chitatel@example.org")
    page.get_by_role("button", name="Подписаться").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Проверьте почту").is_visible()
    page.screenshot(path=tmp_path / "2-check-inbox-ru.png", full_page=True)

    [message] = mailoutbox
    assert message.to == ["chitatel@example.org"]
    assert message.subject == "Подтвердите подписку на Belarus Weekly"
    assert "Пожалуйста, подтвердите подписку" in message.body
    html = message.alternatives[0][0]
    link = re.search(r'href="([^"]+/ru/newsletter/confirm/[^"]+)"', html).group(1)
    assert link.startswith(live_server.url)

    # How the email itself looks, light and dark, on a phone-sized screen.
    email_view = browser.new_page(viewport={"width": 390, "height": 844})
    email_view.set_content(html)
    email_view.screenshot(path=tmp_path / "3-email-light.png", full_page=True)
    email_view.emulate_media(color_scheme="dark")
    email_view.screenshot(path=tmp_path / "4-email-dark.png", full_page=True)
    email_view.close()

    page.goto(link)
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING  # a GET confirms nothing
    page.get_by_role("button", name="Подтвердить подписку").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Вы успешно подписались").is_visible()
    page.screenshot(path=tmp_path / "5-subscribed-ru.png", full_page=True)

    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.language == "ru"
    assert subscriber.consent_user_agent  # the browser's, recorded with the consent
    assert subscriber.consent_text.startswith("Нажимая «Подписаться»")


@pytest.mark.browser
def test_the_consent_text_follows_the_chosen_language(
    browser, live_server, settings, mailoutbox, own_db_connections
):
    """On a Russian page, choosing English shows the English consent sentence
    (and only it), and the request records that text, shown in English."""
    from newsletter import consent

    settings.SITE_URL = live_server.url
    ensure_languages()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/ru/newsletter/subscribe/")
    visible = page.locator(".nl-consent p:visible")
    assert visible.count() == 1 and visible.get_attribute("lang") == "ru"
    assert visible.inner_text().startswith("Нажимая «Подписаться»")

    page.locator("#nl-language").select_option("en")
    assert visible.count() == 1 and visible.get_attribute("lang") == "en"
    assert visible.inner_text() == consent.text(language="en")
    page.locator("#nl-language").select_option("be")
    assert visible.get_attribute("lang") == "be"
    page.locator("#nl-language").select_option("en")

    page.locator("#nl-email").fill("reader@example.org")
    page.get_by_role("button", name="Подписаться").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Проверьте почту").is_visible()
    record = Subscriber.objects.get().consents.get()
    assert (record.language, record.shown_language) == ("en", "en")
    assert record.text == consent.text(language="en")
    # The confirmation email quotes the same words, in English.
    [message] = mailoutbox
    assert consent.text(language="en") in message.body
