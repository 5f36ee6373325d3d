"""The reader pages in each language: what they show, and what they must not."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import Permission

from bulletin import services
from tests.factories import UserFactory, analyst, editor

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page as a reader reads it: tags dropped, entities decoded, spaces collapsed."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    # A tag between a word and its comma ("</a>, ") is no space to a reader.
    return re.sub(r" ([,.;])", r"\1", " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split()))


def hreflangs(response) -> dict[str, str]:
    return dict(re.findall(
        r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', response.content.decode()
    ))


def switch_links(response) -> dict[str, str]:
    nav = re.search(r'<nav class="lang-switch".*?</nav>', response.content.decode(), re.S)
    return {
        code: unescape(url)
        for url, code in re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"', nav.group(0))
    }


# Home


def test_home_in_english_shows_the_latest_issue_grouped_by_topic(client, site):
    response = client.get("/en/")
    assert response.status_code == 200
    page = text(response)
    assert "November 19 – November 25, 2018" in page
    assert "Security issues" in page
    assert "Russian units stay after joint drills" in page
    assert "The situation has worsened" in page
    assert "A week after the exercise, Russian units remain at Belarusian ranges." in page
    assert "Read more" in page
    # The sidebar: the latest week, without the year, each topic's trend and
    # how long it has held, and the archive.
    assert ("Situation in Belarus November 19 – November 25 Security issues Worsening for 1 "
            "week Economy Worsening for 1 week View all") in page
    assert 'href="/en/issues/"' in response.content.decode()
    # Earlier issues and unpublished work are not on the home page.
    assert "Azerbaijan to remain" not in page
    assert "unpublished draft" not in page
    assert '<html lang="en">' in response.content.decode()


def test_home_in_russian(client, site):
    page = text(client.get("/ru/"))
    assert "19 – 25 ноября 2018" in page
    assert "Вопросы безопасности" in page
    assert "Российские подразделения остаются после учений" in page
    assert "Ситуация ухудшилась" in page
    assert "Читать далее" in page
    assert ("Ситуация в Беларуси 19 – 25 ноября Вопросы безопасности Ухудшается 1 неделю "
            "Экономика Ухудшается 1 неделю Показать все") in page
    assert "Russian units" not in page


def test_home_in_belarusian_shows_its_latest_issue_with_belarusian_articles(client, site):
    # No. 2 has no Belarusian article: the Belarusian home stays on No. 1.
    page = text(client.get("/be/"))
    assert "12 – 18 лістапада 2018" in page
    assert "Азербайджан застанецца стратэгічным партнёрам Беларусі" in page
    assert "19 – 25 лістапада 2018" not in page
    assert "Российские" not in page and "Russian units" not in page


def test_home_in_belarusian_says_when_nothing_is_translated(client, site):
    from bulletin.models import Article
    from bulletin.pagecache import generation as page_cache

    Article.objects.update(title_be="")  # no issue has a Belarusian article now
    page_cache.bump()
    response = client.get("/be/")
    page = text(response)
    assert '<html lang="be">' in response.content.decode()
    assert "19 – 25 лістапада 2018" in page
    assert "Артыкулы гэтага выпуску пакуль не перакладзеныя на беларускую мову." in page
    # Never another language's text in its place.
    assert "Российские" not in page and "Russian units" not in page


# Issue page


def test_issue_page_lists_its_published_articles_in_the_language(client, site):
    page = text(client.get("/en/issues/1/"))
    assert "No. 1" in page
    assert "November 12 – November 18, 2018" in page
    assert "A cautious week" in page
    assert page.index("Security issues") < page.index("Economy")
    assert "Azerbaijan to remain Belarus’ strategic partner in the South Caucasus" in page
    assert "Oil supplies stall again" in page
    assert "The situation has not changed" in page and "The situation has worsened" in page
    assert "Next issue November 19 – November 25, 2018" in page

    response = client.get("/ru/issues/1/")
    russian = text(response)
    assert "12 – 18 ноября 2018" in russian
    assert "Азербайджан останется стратегическим партнёром" in russian
    assert "Ситуация не изменилась" in russian
    assert "Oil supplies" not in russian  # English only
    # No group for a topic without articles in Russian.
    assert 'id="topic-economy"' not in response.content.decode()


def test_issue_hreflang_lists_only_languages_with_articles(client, site):
    links = hreflangs(client.get("/en/issues/2/"))
    assert links == {
        "en": "http://127.0.0.1:8000/en/issues/2/",
        "ru": "http://127.0.0.1:8000/ru/issues/2/",
        "x-default": "http://127.0.0.1:8000/issues/2/",
    }


# Article page


def test_article_page_in_english(client, site):
    response = client.get("/en/issues/1/azerbaijan/")
    assert response.status_code == 200
    page = text(response)
    assert "November 12 – November 18, 2018 · Security issues" in page
    assert "Azerbaijan to remain Belarus’ strategic partner in the South Caucasus" in page
    assert "The situation has not changed" in page
    assert "Informal, albeit effective alliances" in page
    assert "Trade turnover tripled this year." in page
    assert "Authors: Anna Analyst, Ivan Analyst" in page
    assert "Also in: Беларуская · Русский" in page
    html = response.content.decode()
    assert '<a href="/be/issues/1/azerbaijan/" hreflang="be" lang="be">Беларуская</a>' in html
    assert '<a href="/ru/issues/1/azerbaijan/" hreflang="ru" lang="ru">Русский</a>' in html
    # The next article of the same topic, in English.
    assert "Next in this topic · November 19 – November 25, 2018" in page
    assert "Russian units stay after joint drills" in page


def test_article_page_in_russian_and_belarusian(client, site):
    page = text(client.get("/ru/issues/2/troops/"))
    assert "19 – 25 ноября 2018 · Вопросы безопасности" in page
    assert "Российские подразделения остаются после учений" in page
    assert "Ситуация ухудшилась" in page
    assert "Другие языки: English" in page
    assert "Предыдущая статья по теме · 12 – 18 ноября 2018" in page
    assert "Азербайджан останется стратегическим партнёром" in page
    assert "Автор: Анна Аналитик" in page  # the name in Russian, linked to the author's page
    assert '<a href="/ru/authors/anna-analyst/" rel="author">Анна Аналитик</a>' in (
        client.get("/ru/issues/2/troops/").content.decode())

    page = text(client.get("/be/issues/1/azerbaijan/"))
    assert "12 – 18 лістапада 2018 · Пытанні бяспекі" in page
    assert "Сітуацыя не змянілася" in page
    assert "Іншыя мовы: English · Русский" in page
    assert "Аўтары: Ганна Аналітык, Іван Аналітык" in page


def test_article_without_the_translation_leads_to_the_issue_with_a_note(client, site):
    response = client.get("/be/issues/2/troops/")
    assert response.status_code == 302
    assert response["Location"] == "/be/issues/2/?untranslated=troops"
    page = text(client.get(response["Location"]))
    assert (
        "Артыкул, які вы чыталі, не перакладзены на беларускую мову. "
        "Вось увесь выпуск па-беларуску." in page
    )
    assert "Артыкул даступны на мовах: English · Русский" in page
    assert "19 – 25 лістапада 2018" in page

    page = text(client.get("/ru/issues/1/?untranslated=oil"))
    assert "Статья, которую вы читали, не переведена на русский язык." in page
    assert "Статья доступна на языках: English" in page

    page = text(client.get("/en/issues/1/?untranslated=nothing-here"), )
    assert "not available" not in page


def test_language_switch_keeps_the_reader_on_the_same_article(client, site):
    links = switch_links(client.get("/en/issues/1/azerbaijan/"))
    assert links == {"be": "/be/issues/1/azerbaijan/", "ru": "/ru/issues/1/azerbaijan/"}
    # Where the article has no translation, the switch goes to that issue, with the note.
    links = switch_links(client.get("/en/issues/2/troops/"))
    assert links == {"be": "/be/issues/2/?untranslated=troops", "ru": "/ru/issues/2/troops/"}
    links = switch_links(client.get("/ru/topics/security/"))
    assert links == {"en": "/en/topics/security/", "be": "/be/topics/security/"}


def test_head_has_canonical_hreflang_and_opengraph(client, site):
    response = client.get("/ru/issues/1/azerbaijan/")
    html = response.content.decode()
    assert '<link rel="canonical" href="http://127.0.0.1:8000/ru/issues/1/azerbaijan/">' in html
    assert hreflangs(response) == {
        "en": "http://127.0.0.1:8000/en/issues/1/azerbaijan/",
        "be": "http://127.0.0.1:8000/be/issues/1/azerbaijan/",
        "ru": "http://127.0.0.1:8000/ru/issues/1/azerbaijan/",
        "x-default": "http://127.0.0.1:8000/issues/1/azerbaijan/",
    }
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:locale" content="ru_RU">' in html
    assert '<meta property="og:locale:alternate" content="be_BY">' in html
    assert ('<meta property="og:url" content="http://127.0.0.1:8000/ru/issues/1/azerbaijan/">'
            in html)
    assert '<meta property="og:title" content="Азербайджан останется' in html
    assert '<meta property="article:section" content="Вопросы безопасности">' in html
    assert 'type="application/rss+xml"' in html

    # An English-only article has no alternates in other languages.
    assert hreflangs(client.get("/en/issues/1/oil/")) == {
        "en": "http://127.0.0.1:8000/en/issues/1/oil/",
        "x-default": "http://127.0.0.1:8000/issues/1/oil/",
    }


@pytest.mark.parametrize("url", ["/en/", "/ru/issues/", "/be/topics/", "/en/topics/security/",
                                 "/ru/issues/1/", "/en/search/?q=oil"])
def test_every_page_has_skip_link_landmarks_and_lang(client, site, url):
    html = client.get(url).content.decode()
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html and "<header" in html and "<footer" in html
    assert re.search(r'<html lang="(en|be|ru)">', html)
    assert '<link rel="canonical"' in html and 'property="og:title"' in html


# Topic pages


def test_topic_page_draws_the_trend_and_lists_articles(client, site):
    response = client.get("/en/topics/security/")
    page = text(response)
    html = response.content.decode()
    assert "Security issues" in page and "Defence policy and regional security." in page
    assert "The situation has worsened for 1 week" in page
    assert '<svg class="timeline__chart"' in html and 'role="img"' in html
    # At least the last twelve weeks, the first ten before the topic's first report.
    assert 'aria-label="Trend by week from September 3 – September 9, 2018 to' in html
    assert "timeline__week--unchanged" in html and "timeline__week--worsened" in html
    # The week-by-week text alternative.
    assert "November 12 – November 18, 2018: The situation has not changed" in page
    assert page.index("Russian units stay") < page.index("Azerbaijan to remain")
    assert "unpublished draft" not in page

    russian = text(client.get("/ru/topics/security/"))
    assert "Ситуация ухудшается 1 неделю подряд" in russian
    assert "Российские подразделения остаются после учений" in russian


def test_topics_index(client, site):
    page = text(client.get("/be/topics/"))
    assert "Пытанні бяспекі" in page and "Эканоміка" in page
    assert "Сітуацыя пагаршаецца 1 тыдзень запар" in page


# Archive


def test_archive_groups_issues_by_year_with_counts_per_language(client, site):
    page = text(client.get("/en/issues/"))
    assert "All issues 2018" in page
    assert "November 19 – November 25 No. 2 · 1 article" in page
    assert "November 12 – November 18 No. 1 · 2 articles A cautious week" in page
    assert "No. 3" not in page

    page = text(client.get("/ru/issues/"))
    assert "Все выпуски 2018" in page
    assert "12 – 18 ноября № 1 · 1 статья" in page

    page = text(client.get("/be/issues/"))
    assert "12 – 18 лістапада № 1 · 1 артыкул" in page
    assert "№ 2" not in page  # nothing of issue 2 is in Belarusian


def test_view_all_link_leads_to_the_archive(client, site):
    html = client.get("/ru/").content.decode()
    assert re.search(r'<a href="/ru/issues/"[^>]*>Показать все</a>', html)


# Unpublished, previews and scheduling


@pytest.mark.parametrize("url", ["/en/issues/3/", "/en/issues/3/draft/", "/ru/issues/3/draft/"])
def test_unpublished_is_404_for_readers(client, site, url):
    assert client.get(url).status_code == 404


def test_editor_previews_unpublished_issue_and_article(client, site):
    client.force_login(editor())
    response = client.get("/en/issues/3/")
    assert response.status_code == 200
    page = text(response)
    assert "Preview — not published" in page
    assert "An unpublished draft about the budget" in page
    assert "Approved" in page  # the article's state, for the editor
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in response.content.decode()

    response = client.get("/ru/issues/3/draft/")
    page = text(response)
    assert "Предпросмотр — не опубликовано" in page
    assert "Неопубликованный черновик о бюджете" in page
    assert "no-store" in response["Cache-Control"]

    # Published pages carry no banner, and previews stay off the public pages.
    page = text(client.get("/en/"))
    assert "Preview" not in page and "unpublished draft" not in page


def test_analysts_may_preview_staff_without_permission_may_not(client, site):
    client.force_login(analyst())
    assert client.get("/en/issues/3/draft/").status_code == 200
    client.logout()
    clerk = UserFactory(username="clerk", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_topic"))
    client.force_login(clerk)
    assert client.get("/en/issues/3/draft/").status_code == 404
    assert client.get("/en/issues/3/").status_code == 404


def test_scheduled_issue_appears_at_its_time_and_not_before(client, site):
    import datetime

    from django.utils import timezone

    from bulletin.models import Issue

    at = timezone.now() + datetime.timedelta(hours=2)
    services.issue_publish(issue=site.draft_issue, user=site.user, at=at)
    assert client.get("/en/issues/3/").status_code == 404
    assert "unpublished draft" not in text(client.get("/en/"))  # cached now
    services.issue_publish_scheduled()  # too early: nothing happens
    assert client.get("/en/issues/3/").status_code == 404

    # Time passes (the issue's time is now in the past), beat runs the job.
    Issue.objects.filter(pk=site.draft_issue.pk).update(
        published_at=timezone.now() - datetime.timedelta(minutes=1))
    assert client.get("/en/issues/3/").status_code == 404  # not before it is published
    assert services.issue_publish_scheduled() == [3]
    assert client.get("/en/issues/3/").status_code == 200
    assert "An unpublished draft about the budget" in text(client.get("/en/"))


@pytest.mark.django_db
def test_a_language_switched_off_is_not_served(client):
    from bulletin.models import Language
    from tests.factories import published_issue

    issue = published_issue(1)
    article = issue.articles.first()
    Language.objects.filter(code="be").update(is_live=False)
    from bulletin.pagecache import generation as page_cache

    page_cache.bump()  # .update() sends no signal; the admin's save does
    assert client.get("/be/").status_code == 404
    assert client.get(f"/be/issues/{issue.number}/{article.slug}/").status_code == 404
    page = client.get(f"/en/issues/{issue.number}/{article.slug}/").content.decode()
    assert 'hreflang="ru"' in page and 'hreflang="be"' not in page
    assert "/be/" not in client.get("/sitemap.xml").content.decode()
    client.cookies["bulletin_language"] = "be"
    assert client.get("/")["Location"] == "/en/"
    language = Language.objects.get(code="be")
    language.is_live = True
    language.save()  # through the model, as the admin does: pages come back at once
    assert client.get("/be/").status_code == 200


def test_article_pager_orders_by_week_then_place_and_skips_what_a_reader_cannot_see(client):
    """Previous/next in the topic: by week, then place in the issue, then id;
    only published articles translated into the page's language."""
    from tests.factories import ArticleFactory, IssueFactory, TopicFactory
    from tests.reader_content import approve, week

    topic = TopicFactory(slug="economy")
    other = TopicFactory(slug="security")
    user = editor("pager")
    first, second, third = (IssueFactory(number=n + 1, start_date=week(n)) for n in range(3))

    def article(issue, slug, position, *, draft=False, **extra):
        made = ArticleFactory(issue=issue, topic=extra.pop("topic", topic), slug=slug,
                              position=position, title_en=f"Title {slug}", **extra)
        if not draft:
            approve(made, user)

    article(first, "a", 1)
    article(first, "b", 2)
    article(first, "c", 2)  # same place as b: the id decides
    article(first, "d", 3, topic=other)  # another topic
    article(second, "e", 0, title_ru="", lead_ru="", body_ru="")  # no Russian
    article(second, "f", 5)
    article(second, "h", 6, draft=True)  # left a draft when the issue was published
    article(third, "g", 1)  # its issue is not published
    services.issue_publish(issue=first, user=user)
    services.issue_publish(issue=second, user=user)

    def pager(url):
        html = client.get(url).content.decode()
        return (re.findall(r'rel="prev" href="([^"]+)"', html),
                re.findall(r'rel="next" href="([^"]+)"', html))

    assert pager("/en/issues/1/a/") == ([], ["/en/issues/1/b/"])
    assert pager("/en/issues/1/b/") == (["/en/issues/1/a/"], ["/en/issues/1/c/"])
    assert pager("/en/issues/1/c/") == (["/en/issues/1/b/"], ["/en/issues/2/e/"])
    assert pager("/ru/issues/1/c/") == (["/ru/issues/1/b/"], ["/ru/issues/2/f/"])
    assert pager("/en/issues/2/f/") == (["/en/issues/2/e/"], [])
    html = client.get("/en/issues/1/c/").content.decode()
    assert "Next in this topic · November 19 – November 25, 2018</span> Title e" in html


def test_every_page_has_the_icon_and_a_social_preview_image(client, site):
    for path in ("/en/", "/ru/issues/1/", "/be/issues/1/azerbaijan/", "/en/topics/security/"):
        html = client.get(path).content.decode()
        assert re.search(r'<link rel="icon" href="[^"]*favicon[^"]*\.svg" type="image/svg\+xml">',
                         html), path
        image = re.search(r'<meta property="og:image" content="([^"]+)">', html)[1]
        assert image.startswith("http") and "og-default" in image, path
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and "favicon" in response["Location"]
