"""The admin's translated fields in a real browser: one language tab strip at
the top of the form switches every translated field at once (the rich-text
editors too), and the forms fit a 1280 px screen."""

import os

import pytest

from tests.browser import admin_page
from tests.factories import ArticleFactory, IssueFactory, TopicFactory, editor
from tests.reader_content import week

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.timeout(300)]


@pytest.fixture
def desk(transactional_db, own_db_connections):
    user = editor("chief")
    user.set_password("pw-chief-1")
    user.save()
    issue = IssueFactory(number=41, start_date=week(41), title_en="A week")
    article = ArticleFactory(issue=issue, topic=TopicFactory(slug="economy"), slug="potash",
                             title_en="Potash exports fall", title_ru="Экспорт калия падает",
                             lead_ru="<p>Лид по-русски.</p>")
    return {"article": article, "issue": issue, "user": user}


@pytest.fixture
def page(desk, browser, live_server):  # the desk first: made before the browser starts
    return admin_page(browser, live_server.url, "chief", "pw-chief-1")


TRANSLATED = {
    "article": ("title", "lead", "body"),
    "issue": ("title", "summary"),
}


def field_shown(page, name, code):
    """Whether the `code` input of field `name` is on screen (a rich-text
    field's editor, whose textarea is hidden behind it, counts by its panel)."""
    return page.locator(f"#tab_id_{name}_{code}").is_visible()


@pytest.mark.parametrize("model", ["article", "issue"])
def test_one_language_strip_switches_every_translated_field(page, desk, live_server, model,
                                                           tmp_path):
    obj = desk[model]
    page.goto(f"{live_server.url}/admin/bulletin/{model}/{obj.pk}/change/")
    strips = page.locator(".language-strip")
    assert strips.count() == 1
    assert strips.get_attribute("aria-label") == "Language of the translated fields"
    buttons = strips.get_by_role("button")
    assert buttons.all_inner_texts() == ["English", "Беларуская", "Русский"]
    # The per-field strips and modeltranslation's select are out of sight.
    assert page.locator(".ui-tabs-nav:visible").count() == 0
    assert not page.locator("#modeltranslation-main-switch").is_visible()
    fields = TRANSLATED[model]
    for name in fields:
        assert field_shown(page, name, "en") and not field_shown(page, name, "ru")

    strips.get_by_role("button", name="Русский").click()
    for name in fields:
        assert field_shown(page, name, "ru"), name
        assert not field_shown(page, name, "en") and not field_shown(page, name, "be")
    assert strips.get_by_role("button", name="Русский").get_attribute("aria-pressed") == "true"
    assert page.locator(f"#id_{fields[0]}_ru").is_visible()
    if model == "article":
        assert page.locator("#id_title_ru").input_value() == "Экспорт калия падает"
        assert "Лид по-русски." in page.locator("#tab_id_lead_ru").inner_text()
    # Wide enough to read a headline whole.
    assert page.locator(f"#id_{fields[0]}_ru").bounding_box()["width"] >= 500
    # The strip stays at the top while the form scrolls down to its buttons
    # (where the page is long enough to scroll past it).
    top = strips.bounding_box()["y"] + page.evaluate("window.scrollY")
    page.locator(".submit-row").last.scroll_into_view_if_needed()
    if page.evaluate("window.scrollY") > top:
        assert -1 <= strips.bounding_box()["y"] <= 1
    else:
        assert model == "issue"  # a short form: nothing to scroll past
    page.screenshot(path=tmp_path / f"{model}-ru.png", full_page=True)
    assert page.errors == []
