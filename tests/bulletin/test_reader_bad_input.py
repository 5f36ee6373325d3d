"""Bad input on the reader site: a proper, localised 404 or a normal page with
a message, never a 500. The root redirect in every case."""

import pytest
from django.template import loader
from django.utils.translation import override

from bulletin import pages

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", [
    "/de/",  # unknown language prefix
    "/xx/issues/1/",
    "/en/issues/999/",  # unknown issue
    "/en/issues/99999999999999999999999999/",  # beyond any integer column
    "/en/issues/1/no-such-article/",
    "/en/issues/2/azerbaijan/",  # a real slug, in another issue
    "/en/issues/3/",  # not published
    "/en/issues/3/draft/",
    "/en/topics/no-such-topic/",
    "/en/issues/?page=99",  # past the end
    "/en/issues/?page=0",
    "/en/issues/?page=-1",
    "/en/issues/?page=two",  # not a number
    "/en/issues/?page=1.5",
    "/en/issues/?page=%00",
    "/en/topics/security/?page=5",
    "/en/topics/security/?page=abc",
    "/en/search/?q=Minsk&page=x",
    "/en/issues/abc/",
    "/en/feeds/rss/extra/",
])
def test_not_found_is_a_proper_404(client, site, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_404_page_is_in_the_language_of_the_url(client, site):
    response = client.get("/ru/issues/1/no-such-article/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="ru">' in html
    assert "Страница не найдена" in html
    assert 'href="/ru/"' in html


def test_404_for_an_unknown_language_follows_the_browser(client, site):
    response = client.get("/de/issues/", HTTP_ACCEPT_LANGUAGE="be")
    assert response.status_code == 404
    assert "Старонка не знойдзена" in response.content.decode()


def test_a_bad_note_parameter_goes_back_to_the_plain_issue_page(client, site):
    for value in ("", "<script>", "azerbaijan", "x" * 500, "../../etc"):
        response = client.get("/en/issues/1/", {"untranslated": value})
        assert response.status_code == 302
        assert response["Location"] == "/en/issues/1/"


def test_only_get_and_head(client, site):
    assert client.post("/en/issues/1/").status_code == 405
    assert client.head("/en/issues/1/").status_code == 200
    assert client.post("/").status_code == 405


def test_500_page_renders_without_a_request_or_the_database(django_assert_num_queries):
    with override("ru"), django_assert_num_queries(0):
        html = loader.get_template("500.html").render()
    assert '<html lang="ru">' in html
    assert "Что-то пошло не так" in html


def test_an_error_in_a_page_is_a_localised_500(client, site, monkeypatch):
    def broken():
        raise RuntimeError("the database went away")

    monkeypatch.setattr(pages, "home", broken)
    client.raise_request_exception = False
    response = client.get("/be/")
    assert response.status_code == 500
    assert "Нешта пайшло не так" in response.content.decode()


# The root: / sends each reader to their language.


@pytest.mark.parametrize("header, expected", [
    ("ru", "/ru/"),
    ("ru-RU,ru;q=0.9,en;q=0.8", "/ru/"),
    ("be-BY", "/be/"),
    ("BE", "/be/"),
    ("en-US,en;q=0.9", "/en/"),
    ("de-DE,de;q=0.9", "/en/"),  # nothing we speak: English
    ("de;q=0.9, ru;q=0.5, en;q=0.4", "/ru/"),  # the best we speak
    ("en;q=0.1, be;q=0.8", "/be/"),
    ("*", "/en/"),
    ("", "/en/"),
    (";;;,,,q=x", "/en/"),
    ("ru-" + "x" * 600, "/en/"),  # absurdly long: ignored
])
def test_root_redirects_by_accept_language(client, header, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=header)
    assert response.status_code == 302
    assert response["Location"] == expected
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]


def test_root_redirect_prefers_the_language_cookie_and_keeps_the_query(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "be"
    response = client.get("/?utm_source=mail", HTTP_ACCEPT_LANGUAGE="ru")
    assert response["Location"] == "/be/?utm_source=mail"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "klingon"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ru")["Location"] == "/ru/"


def test_path_without_a_language_goes_to_the_readers_language(client, site):
    response = client.get("/issues/1/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 302
    assert response["Location"] == "/ru/issues/1/"


def test_pages_outside_the_reader_site_get_a_working_language_switch(rf):
    from django.template import RequestContext, Template

    from bulletin.context_processors import site

    request = rf.get("/ru/newsletter/confirm/abc/")
    with override("ru"):
        links = {link.code: link.url for link in site(request)["language_links"]}
        meta = site(request)["meta"]
        html = Template('{% include "bulletin/_language_switch.html" %}').render(
            RequestContext(request, {}))
    assert links == {
        "en": "/en/newsletter/confirm/abc/",
        "be": "/be/newsletter/confirm/abc/",
        "ru": "/ru/newsletter/confirm/abc/",
    }
    assert meta.canonical == "/ru/newsletter/confirm/abc/"
    assert 'href="/be/newsletter/confirm/abc/"' in html
