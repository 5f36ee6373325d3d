"""The site and the admin work under the Content-Security-Policy, in a real browser.

Chromium (Debian's /usr/bin/chromium, driven by Playwright) reports every CSP
violation; a listener turns each into a console error, and the test collects
them across pages. The admin's JavaScript is exercised for real: the
modeltranslation language tabs (jQuery UI), the slug prepopulated from the
title, a form saved, the issue page with the newsletter panel.
"""

import os

import pytest
from django.core.management import call_command
from django.test import override_settings

from bulletin.models import Article, Issue
from tests.browser import REPORT_VIOLATIONS

# Playwright's sync API runs an event loop in this thread; the ORM calls made
# by the test itself (reading the database) are still plain synchronous code.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"



pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(300),
]


class Visitor:
    """A page that remembers CSP violations and the CSP header of each response."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.violations = []
        self.errors = []
        page.add_init_script(REPORT_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"{page.url}: {exc}"))

    def _console(self, message):
        text = message.text
        if "Content Security Policy" in text or text.startswith("CSP violation"):
            self.violations.append(f"{self.page.url}: {text}")

    def open(self, path):
        response = self.page.goto(self.base_url + path)
        assert response.status == 200, (path, response.status)
        policy = response.headers.get("content-security-policy", "")
        assert "default-src 'self'" in policy and "script-src 'self'" in policy, (path, policy)
        self.page.wait_for_load_state("load")
        return policy


def test_admin_and_site_work_under_the_csp(browser, live_server, own_db_connections):
    with override_settings(DEBUG=True):  # as under `make run`: the demo's known passwords
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    published = Issue.objects.published().order_by("-number").first()
    draft = Issue.objects.exclude(status="published").order_by("-number").first()
    article = (Article.objects.published().filter(issue=published).exclude(title_be="")
               .select_related("topic").order_by("pk").first())

    visitor = Visitor(browser.new_page(locale="en-GB"), live_server.url)
    page = visitor.page

    visitor.open("/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "bulletin-admin")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    visitor.open("/admin/")

    # The tabbed translation fields (modeltranslation + jQuery UI) and the slug.
    visitor.open("/admin/bulletin/article/add/")
    page.wait_for_selector(".language-strip")
    assert page.locator("#id_title_en").is_visible()
    assert not page.locator("#id_title_be").is_visible()
    page.locator(".language-strip__button[data-language=be]").click()
    assert page.locator("#id_title_be").is_visible()
    assert not page.locator("#id_title_en").is_visible()
    page.fill("#id_title_be", "Праверка палітыкі бяспекі")
    page.locator(".language-strip__button[data-language=en]").click()
    page.fill("#id_title_en", "Security policy check")
    page.locator("#id_title_en").blur()
    assert page.input_value("#id_slug") == "security-policy-check"  # prepopulate.js
    # Lead and body are written in the rich-text editor (its import map and base
    # styles carry the response's nonce).
    for name, text in (("lead_en", "A lead."), ("body_en", "A body.")):
        page.locator(f".prose-editor:has(#id_{name}) .ProseMirror[contenteditable=true]").click()
        page.keyboard.type(text, delay=10)
    page.select_option("#id_issue", str(draft.pk))
    page.select_option("#id_topic", index=1)
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    saved = Article.objects.get(slug="security-policy-check")
    assert saved.title_be == "Праверка палітыкі бяспекі"
    assert (saved.lead_en, saved.body_en) == ("<p>A lead.</p>", "<p>A body.</p>")

    visitor.open(f"/admin/bulletin/article/{saved.pk}/change/")
    visitor.open(f"/admin/bulletin/issue/{draft.pk}/change/")
    page.wait_for_selector("#newsletter")
    visitor.open("/admin/bulletin/article/")
    page.locator("#action-toggle").check()  # actions.js
    assert page.locator(".action-counter").inner_text().startswith(
        f"{Article.objects.count()} of {Article.objects.count()}")

    # The newsletter preview is the email itself: inline styles, and only those, allowed.
    policy = visitor.open(f"/admin/bulletin/issue/{draft.pk}/newsletter/en/preview/")
    assert "style-src 'self' 'unsafe-inline'" in policy and "script-src 'self'" in policy

    # The reader site and the subscription pages.
    for language in ("en", "be", "ru"):
        visitor.open(f"/{language}/")
        visitor.open(f"/{language}/issues/{published.number}/")
    visitor.open(article.get_absolute_url())
    visitor.open(f"/en/topics/{article.topic.slug}/")
    visitor.open("/ru/issues/")
    visitor.open("/be/search/?q=" + article.title_be.split()[0])
    visitor.open("/ru/newsletter/subscribe/")
    visitor.open(f"/en/newsletter/issues/{published.number}/")

    assert visitor.violations == []
    assert visitor.errors == []
