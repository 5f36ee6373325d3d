"""The editorial safety nets in a real browser: leaving a change form with
unsaved edits asks first, a workflow button saves what was typed, and
"Publish now" shows what will happen before it happens."""

import os

import pytest

from bulletin import services
from bulletin.models import Article, Issue
from tests.browser import sign_in
from tests.factories import ArticleFactory, analyst, editor

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base, username):
    sign_in(page, base, username, "pw")


def test_unsaved_warning_and_save_first_submit(browser, live_server, own_db_connections):
    author = analyst("browser-analyst")
    article = ArticleFactory(created_by=author, slug="old-slug")
    page = browser.new_page()
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # "stay on this page"

    page.on("dialog", on_dialog)
    log_in(page, live_server.url, author.username)
    change = f"{live_server.url}/admin/bulletin/article/{article.pk}/change/"
    page.goto(change)

    # Unchanged: leaving asks nothing.
    page.click("#site-name a")
    page.wait_for_url(f"{live_server.url}/admin/")
    assert dialogs == []

    page.goto(change)
    page.click("#id_slug")
    page.keyboard.press("End")
    page.keyboard.type("-typed-in-the-browser")
    page.click("#site-name a")  # a link away, with edits
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]
    assert page.url == change
    assert "-typed-in-the-browser" in page.input_value("#id_slug")

    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url(change)
    assert dialogs == ["beforeunload"]  # submitting is not leaving
    assert page.get_by_text("Your changes were saved.").is_visible()
    article.refresh_from_db()
    assert article.status == "review"
    assert article.slug == "old-slug-typed-in-the-browser"


def test_publish_now_shows_what_will_happen(browser, live_server, own_db_connections):
    boss = editor("browser-editor")
    article = ArticleFactory(title_be="")
    services.article_submit(article=article, user=boss)
    services.article_approve(article=article, user=boss)
    page = browser.new_page()
    log_in(page, live_server.url, boss.username)
    page.goto(f"{live_server.url}/admin/bulletin/issue/{article.issue_id}/change/")
    page.get_by_role("button", name="Publish now").click()
    page.wait_for_load_state()
    lines = page.locator(".wf-confirm-lines").inner_text()
    assert "goes live with 1 approved article(s)" in lines
    assert "Belarusian: 0 article(s)" in lines
    assert Issue.objects.get(pk=article.issue_id).status == "draft"

    page.get_by_role("link", name="No, go back").click()
    page.wait_for_load_state()
    assert Issue.objects.get(pk=article.issue_id).status == "draft"
    page.get_by_role("button", name="Publish now").click()
    page.get_by_role("button", name="Yes, publish now").click()
    page.wait_for_load_state()
    assert page.get_by_text("is now published").is_visible()
    assert Article.objects.get(pk=article.pk).status == "published"


def test_send_now_and_cancel_ask_first(browser, live_server, own_db_connections):
    from newsletter.models import Dispatch
    from tests.factories import SubscriberFactory, published_issue

    boss = editor("browser-sender")
    issue = published_issue(1, user=boss)
    SubscriberFactory(email="browser-reader@example.org", language="ru")
    page = browser.new_page()
    log_in(page, live_server.url, boss.username)
    page.goto(f"{live_server.url}/admin/bulletin/issue/{issue.pk}/change/")
    row = page.locator('tr[data-language="ru"]')
    row.get_by_role("button", name="Cancel").click()
    page.wait_for_load_state()
    assert "1 recipient(s) not sent to yet will not get it" in page.locator(
        ".wf-confirm-lines").inner_text()
    page.get_by_role("link", name="No, go back").click()
    page.wait_for_load_state()
    assert Dispatch.objects.get(issue=issue, language="ru").status == "scheduled"
    page.locator('tr[data-language="ru"]').get_by_role("button", name="Cancel").click()
    page.get_by_role("button", name="Yes, cancel it").click()
    page.wait_for_load_state()
    assert Dispatch.objects.get(issue=issue, language="ru").status == "cancelled"
    assert page.locator('tr[data-language="ru"]').get_by_role(
        "button", name="Re-send to those who did not get it").is_visible()
