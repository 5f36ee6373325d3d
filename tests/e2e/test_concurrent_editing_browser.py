"""Two editors in two real browser sessions edit one article at the same time:
different languages both saved; the same field → the second save refused, with
the first text stored and the second still in the form."""

import os

import pytest

from bulletin.models import Article
from tests.browser import admin_page
from tests.factories import ArticleFactory, editor

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(300),
]


def signed_in(browser, base_url, username):
    return admin_page(browser, base_url, username, "pw")


def save(page, outcome=".messagelist .success"):
    """Press Save and wait for what the page says (`outcome`: a selector)."""
    page.click("input[name=_save]")
    page.wait_for_selector(outcome)


def type_in(page, field, language, text):
    """Choose the language on the form's language strip, as a person would, and
    type in place of what is there (lead and body in the rich-text editor, at a
    person's pace)."""
    page.locator(f".language-strip__button[data-language={language}]").click()
    if field in ("lead", "body"):
        surface = page.locator(
            f".prose-editor:has(#id_{field}_{language}) .ProseMirror[contenteditable=true]")
        surface.click()
        page.keyboard.press("Control+a")
        page.keyboard.type(text, delay=10)
        page.wait_for_timeout(50)
    else:
        page.fill(f"#id_{field}_{language}", text)


def test_two_sessions_one_article(browser, live_server, own_db_connections):
    article = ArticleFactory()
    editor("first"), editor("second")
    url = f"{live_server.url}/admin/bulletin/article/{article.pk}/change/"
    first = signed_in(browser, live_server.url, "first")
    second = signed_in(browser, live_server.url, "second")

    # Different languages: both saved.
    first.goto(url)
    second.goto(url)
    type_in(first, "body", "be", "Бакі сустрэліся ў Гродне.")
    type_in(second, "title", "ru", "Переговоры о нефти продолжатся")
    save(first)
    save(second)
    stored = Article.objects.get(pk=article.pk)
    assert stored.body_be == "<p>Бакі сустрэліся ў Гродне.</p>"
    assert stored.title_ru == "Переговоры о нефти продолжатся"

    # The same field: the second is refused, and nobody's text is lost.
    first.goto(url)
    second.goto(url)
    type_in(first, "lead", "en", "Talks resumed on Monday.")
    type_in(second, "lead", "en", "Talks collapsed on Tuesday.")
    save(first)
    save(second, ".errornote")
    assert second.locator(".errorlist", has_text="first changed this field").count() == 1
    assert second.input_value("#id_lead_en") == "<p>Talks collapsed on Tuesday.</p>"
    conflict = second.locator(".errorlist", has_text="first changed this field")
    assert "resumed on Monday" in conflict.inner_text()  # their text, in the diff
    assert Article.objects.get(pk=article.pk).lead_en == "<p>Talks resumed on Monday.</p>"
