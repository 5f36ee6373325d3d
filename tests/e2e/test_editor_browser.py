"""The editor's desk in a real browser: an analyst writes an article body with
the rich-text editor's toolbar and keyboard shortcuts, inserts an uploaded
image through the image picker, saves, and the stored HTML and the reader
page show exactly that. Debian's Chromium, driven by Playwright, against
pytest-django's live server; screenshots go to pytest's tmp_path."""

import io
import os
import re

import pytest
from django.db import connections

from bulletin.images import image_create
from bulletin.models import Article
from tests.browser import admin_page
from tests.factories import ArticleFactory, IssueFactory, TopicFactory, analyst
from tests.images import picture
from tests.reader_content import week

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.timeout(300)]


@pytest.fixture
def desk(transactional_db, own_db_connections, settings, tmp_path):
    """A draft article with English text but an empty body, an uploaded chart,
    and an analyst; made before the browser starts (see test_reader_browser.py)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    user = analyst("writer")
    user.set_password("pw-writer-1")
    user.save()
    issue = IssueFactory(number=40, start_date=week(40))
    article = ArticleFactory(issue=issue, topic=TopicFactory(slug="economy"), slug="potash",
                             title_en="Potash exports fall", body_en="")
    chart = image_create(upload=io.BytesIO(picture("PNG", size=(1200, 700))),
                         alt_en="Potash exports by month, 2018", alt_ru="Экспорт калия",
                         caption_en="Exports by month", credit="Belstat", user=user)
    return {"article": article, "chart": chart, "user": user}


@pytest.fixture
def page(desk, browser, live_server):  # the desk first: made before the browser starts
    return admin_page(browser, live_server.url, "writer", "pw-writer-1")


class Keys:
    """The keyboard, at a person's pace: ProseMirror reads each change from the
    DOM, and keys sent faster than it does so can land in the wrong place."""

    def __init__(self, page):
        self.page = page

    def type(self, text):
        self.page.keyboard.type(text, delay=15)
        self.page.wait_for_timeout(50)

    def press(self, key):
        self.page.keyboard.press(key)
        self.page.wait_for_timeout(30)


def select_back(keyboard, *, skip, length):
    """From the end of what was typed: go back `skip` characters, then select `length`."""
    for _ in range(skip):
        keyboard.press("ArrowLeft")
    for _ in range(length):
        keyboard.press("Shift+ArrowLeft")


def test_analyst_writes_and_illustrates_an_article(page, desk, live_server, tmp_path):
    from playwright.sync_api import expect

    article, chart = desk["article"], desk["chart"]
    page.goto(f"{live_server.url}/admin/bulletin/article/{article.pk}/change/")
    editor = page.locator(".prose-editor:has(#id_body_en)")
    surface = editor.locator(".ProseMirror[contenteditable=true]")
    surface.click()
    keyboard = Keys(page)

    # A heading from the toolbar's block-type menu.
    keyboard.type("Transit moves east")
    editor.locator(".prose-menubar__selected").first.click()
    editor.locator(".prose-menubar__option[data-name=heading2]").click()
    surface.press("End")
    keyboard.press("Enter")
    # Bold with the keyboard shortcut, on words selected with the keyboard.
    keyboard.type("Exports fell by a third this year.")
    select_back(keyboard, skip=len(" this year."), length=len("a third"))
    keyboard.press("Control+b")
    keyboard.press("End")
    keyboard.press("Enter")
    # A bulleted list from the toolbar.
    editor.locator("button[data-name=bulletList]").click()
    keyboard.type("Lithuania closed transit")
    keyboard.press("Enter")
    keyboard.type("Russian ports took over")
    keyboard.press("Enter")
    keyboard.press("Enter")  # out of the list
    # A link: select the words, Ctrl+K, give the URL.
    keyboard.type("Read the report in full.")
    select_back(keyboard, skip=len(" in full."), length=len("report"))
    keyboard.press("Control+k")
    dialog = page.locator("dialog.prose-editor-dialog[open]")
    dialog.locator("input[name=href]").fill("https://example.org/potash-report")
    dialog.locator("button[type=submit]").click()
    # The dialog gone and the link in the text before the keys go on (to the text, not the dialog).
    expect(page.locator("dialog.prose-editor-dialog[open]")).to_have_count(0)
    expect(surface.locator("a[href='https://example.org/potash-report']")).to_have_text("report")
    keyboard.press("End")
    keyboard.press("Enter")

    # The figure: the toolbar's image button, "Browse…" opens the picker popup.
    editor.locator("button[data-name=figure]").click()
    dialog = page.locator("dialog.prose-editor-dialog[open]")
    with page.expect_popup() as popup_info:
        dialog.get_by_role("button", name=re.compile("Browse")).click()
    popup = popup_info.value
    popup.wait_for_load_state()
    assert "Potash exports by month, 2018" in popup.content()
    popup.locator(f".image-pick[data-id='{chart.pk}']").click()
    assert dialog.locator("input[name=altText]").input_value() == "Potash exports by month, 2018"
    assert dialog.locator("input[name=caption]").input_value() == "Exports by month"
    dialog.locator("button[type=submit]").click()
    expect(page.locator("dialog.prose-editor-dialog[open]")).to_have_count(0)
    expect(surface.locator("figure img")).to_have_count(1)
    page.screenshot(path=str(tmp_path / "editor.png"), full_page=True)

    page.locator("input[name=_continue]").click()
    page.wait_for_selector(".messagelist .success")
    assert page.violations == []

    stored = Article.objects.get(pk=article.pk)
    assert stored.body_en == (
        "<h2>Transit moves east</h2>"
        "<p>Exports fell by <strong>a third</strong> this year.</p>"
        "<ul><li><p>Lithuania closed transit</p></li><li><p>Russian ports took over</p></li></ul>"
        '<p>Read the <a href="https://example.org/potash-report" rel="noopener noreferrer">'
        "report</a> in full.</p>"
        f'<figure><img src="{chart.file.url}" alt="Potash exports by month, 2018" '
        f'data-file="{chart.pk}"><figcaption>Exports by month</figcaption></figure>'
    )
    assert list(stored.images.all()) == [chart]

    # The reader page (a preview: the analyst may see the draft) shows exactly that.
    page.goto(f"{live_server.url}/en/issues/40/potash/")
    body = page.locator(".article__body")
    assert body.locator("h2").inner_text() == "Transit moves east"
    assert body.locator("strong").inner_text() == "a third"
    assert body.locator("ul li").all_inner_texts() == ["Lithuania closed transit",
                                                      "Russian ports took over"]
    assert body.locator("a").get_attribute("href") == "https://example.org/potash-report"
    img = body.locator("figure picture img")
    assert img.get_attribute("alt") == "Potash exports by month, 2018"
    assert img.get_attribute("loading") == "lazy"
    assert img.evaluate("i => i.complete && i.naturalWidth") > 0  # the file is served
    assert body.locator("figcaption").inner_text() == "Exports by month Belstat"
    page.screenshot(path=str(tmp_path / "reader.png"), full_page=True)
    assert page.violations == []
    connections.close_all()  # the ORM's connection from Playwright's greenlet


PASTE_EVENT = """([selector, html]) => {
  const target = document.querySelector(selector)
  const data = new DataTransfer()
  data.setData("text/html", html)
  data.setData("text/plain", html.replace(/<[^>]+>/g, ""))
  target.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true,
                                                    cancelable: true}))
}"""


def test_a_paste_from_word_comes_out_clean(page, desk, live_server):
    from tests.bulletin.test_paste import WORD

    article = desk["article"]
    page.goto(f"{live_server.url}/admin/bulletin/article/{article.pk}/change/")
    selector = ".prose-editor:has(#id_body_en) .ProseMirror[contenteditable=true]"
    page.locator(selector).click()
    page.evaluate(PASTE_EVENT, [selector, WORD])
    page.wait_for_timeout(200)
    page.locator("input[name=_continue]").click()
    page.wait_for_selector(".messagelist .success")
    stored = Article.objects.get(pk=article.pk).body_en
    for soup in ("mso-", "style=", "class=", "<span", "<font", "<!--", "lang="):
        assert soup not in stored, (soup, stored)
    squashed = re.sub(r"\s+", " ", stored)
    assert "<h2>Potash transit moves east</h2>" in squashed
    assert "<strong>a third</strong>" in squashed and "<em>Belaruskali</em>" in squashed
    assert '<a href="https://example.org/potash-report"' in squashed
    assert "<li><p>Lithuania closed transit</p></li>" in squashed
    assert page.violations == []
    connections.close_all()  # the ORM's connection from Playwright's greenlet
