"""The admin's lists fit a 1280 px screen: with long Belarusian and Russian
titles and long addresses, no changelist scrolls sideways, and a shortened
text keeps its whole in a title attribute."""

import datetime
import io
import os

import pytest
from django.utils import timezone

from bulletin import images, services
from bulletin.models import Issue
from newsletter.models import Dispatch
from tests.browser import admin_page
from tests.factories import ArticleFactory, IssueFactory, SubscriberFactory, TopicFactory, editor
from tests.images import picture
from tests.reader_content import week

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.timeout(300)]

LONG_BE = ("Экспарт калійных угнаенняў праз расійскія парты скараціўся напалову за тры месяцы, "
           "а новыя маршруты ў Кітай пакуль не кампенсуюць страты")
LONG_RU = ("Экспорт калийных удобрений через российские порты сократился вдвое за три месяца, "
           "а новые маршруты в Китай пока не компенсируют потери бюджета")
LONG_EN = ("Potash exports through Russian ports halved in three months, and the new routes "
           "to China do not yet make up for the lost revenue")
CHANGELISTS = {
    "articles": "/admin/bulletin/article/",
    "issues": "/admin/bulletin/issue/",
    "subscribers": "/admin/newsletter/subscriber/",
    "dispatches": "/admin/newsletter/dispatch/",
    "images": "/admin/bulletin/image/",
    "transitions": "/admin/bulletin/transition/",
}


@pytest.fixture
def desk(transactional_db, own_db_connections):
    user = editor("chief-editor-with-a-long-name")
    user.set_password("pw-chief-1")
    user.save()
    topic = TopicFactory(slug="economy", name_en="Economy and the state budget",
                         name_be="Эканоміка і дзяржаўны бюджэт",
                         name_ru="Экономика и государственный бюджет")
    for number in (41, 42):
        issue = IssueFactory(number=number, start_date=week(number), title_en=LONG_EN,
                             title_be=LONG_BE, title_ru=LONG_RU)
        for position in range(3):
            article = ArticleFactory(issue=issue, topic=topic, slug=f"potash-{number}-{position}",
                                     position=position, title_en=LONG_EN, title_be=LONG_BE,
                                     title_ru=LONG_RU)
            services.article_submit(article=article, user=user,
                                    comment="Гатова да праверкі: лічбы звераныя з Белстатам, "
                                            "цытаты ўзгоднены з аўтарам.")
        for language in ("be", "ru", "en"):
            Dispatch.objects.create(issue=issue, language=language, recipients=12345,
                                    scheduled_for=timezone.now() + datetime.timedelta(days=1))
    for n in range(3):
        SubscriberFactory(email=f"aliaksandra.kavalenka-vialikaja.{n}@long-regional-"
                                f"newsroom-mail.example.org", language="be",
                          consent_source="import: 2026 conference sign-up sheet, Minsk office")
    for _copy in range(2):
        images.image_create(upload=io.BytesIO(picture("PNG", size=(60, 40))), user=user,
                            alt_en=LONG_EN, alt_be=LONG_BE, alt_ru=LONG_RU,
                            credit_en="Belarusian Telegraph Agency / photographers' pool",
                            credit_ru="Белорусское телеграфное агентство / пул фотографов")
    return {"user": user}


@pytest.fixture(params=["en", "ru"])
def page(request, desk, browser, live_server):  # the desk before the browser
    page = admin_page(browser, live_server.url, desk["user"].username, "pw-chief-1",
                      locale=request.param, headers={"Accept-Language": request.param},
                      viewport={"width": 1280, "height": 800})
    page.language = request.param
    return page


def overflow(page) -> dict:
    return page.evaluate("""() => {
        const root = document.documentElement;
        const table = document.querySelector('#result_list');
        return {scroll: root.scrollWidth, client: root.clientWidth,
                right: table ? table.getBoundingClientRect().right : null,
                rows: table ? table.querySelectorAll('tbody tr').length : 0,
                columns: table ? [...table.querySelectorAll('thead th')].map(
                    (th) => `${th.className}:${Math.round(th.getBoundingClientRect().width)}`)
                    : []};
    }""")


@pytest.mark.parametrize("name", list(CHANGELISTS))
def test_the_changelist_fits_1280_pixels(page, live_server, name):
    page.goto(live_server.url + CHANGELISTS[name])
    sizes = overflow(page)
    assert sizes["rows"] >= 2, sizes
    assert sizes["scroll"] <= sizes["client"], sizes
    assert sizes["right"] <= sizes["client"], repr(sizes)
    if name == "articles":
        suffix = "" if page.language == "en" else "_ru"
        page.screenshot(path=f"/tmp/admin_articles_1280{suffix}.png")
        title = page.locator("#result_list .field-title_cell .cell-clamp").first
        assert title.get_attribute("title") == title.inner_text().replace("\n", " ")
    assert page.violations == []


def test_the_issue_page_and_its_newsletter_panel_fit_1280_pixels(page, live_server):
    """Ten columns per language in the issue's newsletter panel, with Russian
    headers and long titles in its warnings: the page does not scroll sideways
    and the table ends inside its panel."""
    issue = Issue.objects.get(number=41)
    page.goto(f"{live_server.url}/admin/bulletin/issue/{issue.pk}/change/")
    sizes = page.evaluate("""() => {
        const root = document.documentElement;
        const panel = document.querySelector('.nl-panel');
        const table = document.querySelector('.nl-table');
        return {scroll: root.scrollWidth, client: root.clientWidth, rows: table.rows.length,
                table: table.getBoundingClientRect().right,
                panel: panel.getBoundingClientRect().right};
    }""")
    assert sizes["rows"] >= 4, sizes
    assert sizes["scroll"] <= sizes["client"], sizes
    assert sizes["table"] <= sizes["panel"], sizes
    assert page.violations == []
