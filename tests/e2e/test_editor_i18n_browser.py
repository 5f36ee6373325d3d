"""The rich-text editor speaks the admin's language: an analyst whose admin is in
Belarusian (or Russian) opens an article's form; the toolbar's tooltips and
aria-labels, the block-type menu, the link, figure and table dialogs are in
that language, and no English tooltip of django-prose-editor is left.
Debian's Chromium, driven by Playwright, against pytest-django's live server."""

import os
import re

import pytest

from tests.browser import admin_page
from tests.factories import ArticleFactory, IssueFactory, TopicFactory, analyst
from tests.reader_content import week

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.timeout(300)]


# django-prose-editor 0.28's toolbar tooltips as it writes them (menu.js, link.js,
# table.js) and the English of its dialogs: none may show on a be or ru page.
ENGLISH = {
    "heading 2", "heading 3", "paragraph", "unordered list", "ordered list", "blockquote",
    "horizontal rule", "figure", "bold", "italic", "subscript", "superscript", "undo", "redo",
    "insert link", "remove link", "Insert table", "Add column", "Delete column", "Add row",
    "Delete row", "Merge cells", "Split cell", "Toggle header cell", "Delete table",
    "question_mark", "Toggle fullscreen", "Heading 2", "Heading 3", "Paragraph",
    "Edit Link", "URL", "Title", "Update", "Cancel", "Insert Figure", "Image URL",
    "Alternative Text", "Caption", "Browse...", "Insert", "Table Properties", "Rows",
    "Columns", "Include header row",
}
LATIN = re.compile(r"[A-Za-z]{3,}")

WORDS = {
    "be": {
        "bold": "Тоўсты", "italic": "Курсіў", "bulletList": "Маркіраваны спіс",
        "orderedList": "Нумараваны спіс", "blockquote": "Цытата", "link": "Уставіць спасылку",
        "figure": "Выява з подпісам", "table": "Уставіць табліцу", "history:undo": "Адмяніць",
        "heading2": "Загаловак 2", "paragraph": "Абзац", "add_column": "Дадаць слупок",
        "link_dialog": ["Правіць спасылку", "Адрас", "Загаловак спасылкі", "Абнавіць",
                        "Скасаваць"],
        "figure_dialog": ["Уставіць выяву", "Адрас выявы", "Альтэрнатыўны тэкст", "Подпіс",
                          "Выбраць…", "Уставіць"],
        "table_dialog": ["Уласцівасці табліцы", "Радкі", "Слупкі", "З радком загалоўка"],
        "picker": ["Загрузіць новую выяву", "Загружаныя выявы"],
    },
    "ru": {
        "bold": "Полужирный", "italic": "Курсив", "bulletList": "Маркированный список",
        "orderedList": "Нумерованный список", "blockquote": "Цитата", "link": "Вставить ссылку",
        "figure": "Изображение с подписью", "table": "Вставить таблицу",
        "history:undo": "Отменить", "heading2": "Заголовок 2", "paragraph": "Абзац",
        "add_column": "Добавить столбец",
        "link_dialog": ["Править ссылку", "Адрес", "Заголовок ссылки", "Обновить", "Отмена"],
        "figure_dialog": ["Вставить изображение", "Адрес изображения", "Альтернативный текст",
                          "Подпись", "Выбрать…", "Вставить"],
        "table_dialog": ["Свойства таблицы", "Строки", "Столбцы", "Со строкой заголовка"],
        "picker": ["Загрузить новое изображение", "Загруженные изображения"],
    },
}

# Every tooltip and aria-label of every editor's toolbar on the page, and the options
# of its block-type menus.
TOOLBAR_TEXTS = """() => {
  const texts = []
  const bars = ".prose-menubar [title], .prose-menubar [aria-label]"
  for (const element of document.querySelectorAll(bars)) {
    for (const name of ["title", "aria-label"]) {
      const value = element.getAttribute(name)
      if (value) texts.push(value)
    }
  }
  for (const option of document.querySelectorAll(".prose-menubar__option")) {
    texts.push(option.textContent)
  }
  return texts
}"""


@pytest.fixture
def desk(transactional_db):
    user = analyst("writer")
    user.set_password("pw-writer-1")
    user.save()
    issue = IssueFactory(number=41, start_date=week(41))
    article = ArticleFactory(issue=issue, topic=TopicFactory(slug="economy"), slug="potash",
                             title_en="Potash exports fall",
                             body_en="<p>Exports fell by a third this year.</p>")
    return {"article": article}


@pytest.fixture
def browser(desk, browser):
    return browser


def open_form(browser, live_server, language, article):
    # The admin's language: the language cookie (it wins over the browser's English).
    page = admin_page(browser, live_server.url, "writer", "pw-writer-1", cookies=[
        {"name": "bulletin_language", "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}/admin/bulletin/article/{article.pk}/change/")
    for field in ("body", "lead"):
        page.wait_for_selector(f".prose-editor:has(#id_{field}_en) .prose-menubar "
                               "button[data-name=bold]", state="attached")
        show_tab(page, f"#id_{field}_en")
    return page


def show_tab(page, selector):
    """Choose the language of `selector`'s field on the form's language strip, as
    a person would click it."""
    language = page.evaluate("s => document.querySelector(s).id.split('_').pop()", selector)
    page.locator(f".language-strip__button[data-language={language}]").click()
    page.wait_for_selector(f".prose-editor:has({selector}) .prose-menubar button[data-name=bold]")


def no_english(texts):
    english = [text for text in texts if text.strip() in ENGLISH or LATIN.search(text)]
    assert english == []


def dialog_texts(dialog):
    return dialog.evaluate("""d => [...d.querySelectorAll("h3, label, button")]
                                     .map(e => e.textContent.trim()).filter(Boolean)""")


def open_dialog(page, button, words):
    """Click a toolbar button (once no dialog is open) and return the dialog it
    opens, after checking that it has each of `words` and nothing in English."""
    from playwright.sync_api import expect

    dialogs = page.locator("dialog.prose-editor-dialog[open]")
    expect(dialogs).to_have_count(0)
    button.click()
    expect(dialogs).to_have_count(1)
    texts = dialog_texts(dialogs)
    for word in words:
        assert word in texts
    no_english(texts)
    return dialogs


@pytest.mark.parametrize("language", ["be", "ru"])
def test_the_editor_speaks_the_admins_language(browser, desk, live_server, language, tmp_path,
                                               own_db_connections):
    words = WORDS[language]
    page = open_form(browser, live_server, language, desk["article"])
    assert page.locator("html").get_attribute("lang") == language
    editor = page.locator(".prose-editor:has(#id_body_en)")
    menubar = editor.locator(".prose-menubar")
    for name in ("bold", "italic", "bulletList", "orderedList", "blockquote", "link", "figure",
                 "table", "history:undo"):
        button = menubar.locator(f"button[data-name='{name}']")
        assert button.get_attribute("title") == words[name], name
        assert button.get_attribute("aria-label") == words[name], name
    # The block-type menu: its options, and the copy of the current block's button.
    assert editor.locator(".prose-menubar__option[data-name=heading2]").inner_text() == (
        words["heading2"])
    assert editor.locator(".prose-menubar__option[data-name=paragraph]").inner_text() == (
        words["paragraph"])
    surface = editor.locator(".ProseMirror[contenteditable=true]")
    surface.click()
    page.keyboard.press("End")
    selected = editor.locator(".prose-menubar__selected button")
    assert selected.get_attribute("title") == words["paragraph"]
    # The lead's editor too; no English tooltip anywhere on the page.
    lead_bar = page.locator(".prose-editor:has(#id_lead_en) .prose-menubar")
    assert lead_bar.locator("button[data-name=italic]").get_attribute("title") == words["italic"]
    no_english(page.evaluate(TOOLBAR_TEXTS))

    # The link dialog: select a word, the toolbar's link button.
    page.keyboard.press("Home")
    page.keyboard.press("Shift+End")
    dialog = open_dialog(page, menubar.locator("button[data-name=link]"), words["link_dialog"])
    page.screenshot(path=str(tmp_path / f"link-dialog-{language}.png"), full_page=True)
    dialog.get_by_role("button", name=words["link_dialog"][-1]).click()

    # The figure dialog (the image picker's "Browse" button is the package's).
    page.keyboard.press("End")
    dialog = open_dialog(page, menubar.locator("button[data-name=figure]"),
                         words["figure_dialog"])
    # Its "Browse" button opens the image picker, in the admin's language too.
    with page.expect_popup() as popup_info:
        dialog.get_by_role("button", name=words["figure_dialog"][4]).click()
    picker = popup_info.value
    picker.wait_for_load_state()
    headings = picker.locator(".image-picker h2").all_inner_texts()
    assert headings == words["picker"]
    picker.close()
    dialog.locator("button[value=cancel]").click()

    # The table dialog, then the table's own buttons once the cursor is in a table.
    dialog = open_dialog(page, menubar.locator("button[data-name=table]"),
                         words["table_dialog"])
    dialog.locator("button[type=submit]").click()
    page.wait_for_selector(".prose-editor:has(#id_body_en) .ProseMirror table")
    assert words["add_column"] in page.evaluate(TOOLBAR_TEXTS)
    no_english(page.evaluate(TOOLBAR_TEXTS))
    page.screenshot(path=str(tmp_path / f"editor-{language}.png"), full_page=True)
    assert page.violations == []
