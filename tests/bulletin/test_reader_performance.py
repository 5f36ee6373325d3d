"""Reader pages are fast: a fixed number of queries whatever the number of
articles, cached per language until content changes, 304 on a repeat visit."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client

from bulletin import services
from bulletin.pagecache import generation as page_cache
from tests.reader_content import sample_site, scaled_site

pytestmark = pytest.mark.django_db

# Queries per page on a cache miss (anonymous reader). They must not depend on
# the number of articles; the numbers document what each page reads. Every
# page also reads the site's languages once (which are live, which have a
# newsletter: cached after that, until a Language changes).
QUERIES = {
    "home": 5,  # latest issue, its articles, topics and their trends (sidebar), languages
    "issue": 8,  # issue with counts, articles, previous, next, latest issue, topics, trends,
    # languages
    "article": 7,  # article+issue+topic, its authors, previous and next in topic, latest issue,
    # topics, trends, languages
    "topic": 8,  # topic, latest issue, timeline, count, page of articles, topics, trends,
    # languages
    "topics": 4,  # topics, latest issue, timelines, languages
    "archive": 3,  # count, page of issues with counts, languages
    "search": 3,  # count, page of results, languages (+ the page's snippets on PostgreSQL)
    "feed_rss": 3,  # articles, their authors, languages
    "feed_atom": 3,
    "topic_feed": 4,  # topic, articles, their authors, languages
    "author": 7,  # author, latest issue, count, page of articles, topics, trends, languages
    "sitemap": 4,  # topics, issues with counts, articles with issues, languages
}


def urls(content):
    latest, middle, topic = content.latest, content.middle, content.topics[1]
    return {
        "home": "/ru/",
        "issue": f"/ru/issues/{latest.number}/",
        "article": f"/ru/issues/{latest.number}/{middle.slug}/",
        "topic": f"/ru/topics/{topic.slug}/",
        "topics": "/ru/topics/",
        "archive": "/ru/issues/",
        "search": "/ru/search/?q=нефти",
        "feed_rss": "/ru/feeds/rss/",
        "feed_atom": "/ru/feeds/atom/",
        "topic_feed": f"/ru/topics/{topic.slug}/feeds/rss/",
        "sitemap": "/sitemap.xml",
        "author": "/ru/authors/anna-analyst/",
    }


@pytest.mark.parametrize("articles", [3, 30])
@pytest.mark.parametrize("page", sorted(QUERIES))
def test_queries_do_not_grow_with_articles(client, django_assert_num_queries, articles, page):
    content = scaled_site(articles)
    url = urls(content)[page]
    cache.clear()
    expected = QUERIES[page] + (page == "search" and connection.vendor == "postgresql")
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    if page in ("issue", "home"):
        assert response.content.decode().count('class="card"') == articles


def test_a_cached_page_costs_no_query(client, django_assert_num_queries):
    content = scaled_site(3)
    client.get("/en/")
    client.get(f"/be/issues/{content.latest.number}/{content.middle.slug}/")
    with django_assert_num_queries(0):
        assert client.get("/en/").status_code == 200
        assert client.get(
            f"/be/issues/{content.latest.number}/{content.middle.slug}/").status_code == 200


def test_pages_are_cached_per_language(client):
    sample_site()
    assert "Russian units stay" in client.get("/en/").content.decode()
    assert "Российские подразделения" in client.get("/ru/").content.decode()
    assert "Russian units stay" in client.get("/en/").content.decode()


def test_editing_or_publishing_shows_at_once(client):
    site = sample_site()
    assert "Azerbaijan to remain" in client.get("/en/issues/1/").content.decode()
    assert "Azerbaijan to remain" in client.get("/en/issues/1/azerbaijan/").content.decode()

    # An editor corrects the title in the admin (a save).
    site.azerbaijan.title_en = "Baku stays Minsk’s partner"
    site.azerbaijan.save()
    assert "Baku stays Minsk’s partner" in client.get("/en/issues/1/").content.decode()
    assert "Baku stays Minsk’s partner" in client.get("/en/issues/1/azerbaijan/").content.decode()

    # Publishing the next issue changes the home page and the archive.
    before = client.get("/en/").content.decode()
    assert "unpublished draft" not in before
    services.issue_publish(issue=site.draft_issue, user=site.user)
    assert "An unpublished draft about the budget" in client.get("/en/").content.decode()
    assert "No. 3" in client.get("/en/issues/").content.decode()

    # Withdrawing an article removes it everywhere.
    services.article_unpublish(article=site.troops, user=site.user, comment="Wrong figures")
    assert client.get("/en/issues/2/troops/").status_code == 404
    assert "Russian units stay" not in client.get("/en/topics/security/").content.decode()


def test_repeat_visit_gets_304_until_content_changes(client):
    site = sample_site()
    first = client.get("/en/issues/1/")
    etag = first["ETag"]
    assert etag and "no-cache" in first["Cache-Control"] and "private" in first["Cache-Control"]
    again = client.get("/en/issues/1/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    # Another language or page has another ETag.
    assert client.get("/ru/issues/1/")["ETag"] != etag
    # After a change, the old ETag no longer matches: a fresh 200.
    services.issue_publish(issue=site.draft_issue, user=site.user)
    fresh = client.get("/en/issues/1/", HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200 and fresh["ETag"] != etag


def test_generation_bump_invalidates_every_page(client):
    sample_site()
    client.get("/en/")
    old = page_cache.generation()
    page_cache.bump()
    assert page_cache.generation() != old


def test_editors_never_get_cached_or_conditional_pages(client):
    site = sample_site()
    client.get("/en/issues/1/")  # cached for readers
    client.force_login(site.user)
    response = client.get("/en/issues/1/")
    assert "ETag" not in response
    assert "no-store" in response["Cache-Control"]


SUBSCRIBE_FORM = (
    '<form method="post" action="/subscribe/" class="test-subscribe">{% csrf_token %}'
    '<button>Subscribe</button></form>'
)


@pytest.fixture
def subscribe_form(settings, tmp_path):
    """A stand-in for the newsletter's subscribe box: a POST form with a CSRF token."""
    folder = tmp_path / "templates" / "newsletter"
    folder.mkdir(parents=True)
    (folder / "_subscribe_box.html").write_text(SUBSCRIBE_FORM)
    templates = [dict(t) for t in settings.TEMPLATES]
    templates[0] = {**templates[0], "DIRS": [tmp_path / "templates", *templates[0]["DIRS"]]}
    settings.TEMPLATES = templates


def _token(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"',
                     response.content.decode()).group(1)


def test_cached_pages_give_each_visitor_their_own_csrf_token(subscribe_form,
                                                             django_assert_num_queries):
    sample_site()
    alice, bob = Client(), Client()
    first = alice.get("/en/issues/1/azerbaijan/")  # fills the cache
    with django_assert_num_queries(0):
        second = bob.get("/en/issues/1/azerbaijan/")  # from the cache
    for client, response in ((alice, first), (bob, second)):
        secret = client.cookies["csrftoken"].value
        assert _unmask_cipher_token(_token(response)) == secret
    assert alice.cookies["csrftoken"].value != bob.cookies["csrftoken"].value
    # The ETag is tied to the visitor's CSRF secret: a browser only reuses a page
    # whose token still matches its cookie.
    assert first["ETag"] != second["ETag"]
    assert alice.get("/en/issues/1/azerbaijan/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code \
        == 304
    assert bob.get("/en/issues/1/azerbaijan/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code \
        == 200


def test_subscribe_box_is_on_reader_pages(subscribe_form, client):
    sample_site()
    for url in ("/en/", "/en/issues/1/", "/en/issues/1/azerbaijan/", "/en/topics/security/"):
        assert 'class="test-subscribe"' in client.get(url).content.decode(), url
    assert 'class="test-subscribe"' not in client.get("/en/search/").content.decode()


def test_pages_with_messages_are_not_conditional(client):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest, HttpResponse

    sample_site()
    # A message waiting for the reader (e.g. after subscribing), in the cookie.
    request = HttpRequest()
    storage = CookieStorage(request)
    storage.add(constants.SUCCESS, "You have been successfully subscribed")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies["messages"] = carrier.cookies["messages"].value
    response = client.get("/en/")
    assert "You have been successfully subscribed" in response.content.decode()
    assert "ETag" not in response and "no-store" in response["Cache-Control"]
    # The message was shown once; the next visit is an ordinary cached page.
    response = client.get("/en/")
    assert "successfully subscribed" not in response.content.decode()
    assert response.has_header("ETag")


def test_a_cached_page_is_served_whole_without_rendering(client, django_assert_num_queries):
    from django.test.signals import template_rendered

    content = scaled_site(3)
    url = urls(content)["article"]
    first = client.get(url)
    rendered = []

    def on_render(sender, **kwargs):
        rendered.append(kwargs["template"].name)

    template_rendered.connect(on_render)
    try:
        with django_assert_num_queries(0):
            second = client.get(url)
    finally:
        template_rendered.disconnect(on_render)
    assert rendered == []
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


@pytest.fixture
def redis_round_trips(need_redis, monkeypatch):
    """Commands (or whole pipelines) sent to Redis: each is one round trip."""
    import redis.connection

    sent = []
    cls = redis.connection.AbstractConnection
    real = cls.send_packed_command

    def send_packed_command(self, command, check_health=True):
        sent.append(command)
        return real(self, command, check_health)

    monkeypatch.setattr(cls, "send_packed_command", send_packed_command)
    return sent


# An uncached article page (bench/part_coldpage.py measures its time):
# its article with issue, topic and lead image, its authors, the previous and
# next in its topic; and four round trips to the page cache: the generation,
# one MGET (the page, its content, the site's languages), the render lock, one
# pipeline of what it stores. The first page of a new generation also reads
# the site's languages and makes the sidebar (latest issue, topics and each
# topic's current trend, one query), which the other pages of that language
# then share.
COLD_ARTICLE_QUERIES, COLD_ARTICLE_ROUND_TRIPS = 3, 4
FIRST_ARTICLE_QUERIES, FIRST_ARTICLE_ROUND_TRIPS = 7, 5


def test_an_uncached_article_page_costs_few_queries_and_round_trips(
        client, django_assert_max_num_queries, redis_round_trips):
    content = scaled_site(30)
    articles = list(content.latest.articles.filter(status="published").order_by("position"))
    first, second = (f"/ru/issues/{content.latest.number}/{a.slug}/" for a in articles[:2])
    client.get(first)  # imports, templates
    page_cache.bump()
    redis_round_trips.clear()
    with django_assert_max_num_queries(FIRST_ARTICLE_QUERIES):
        assert client.get(first).status_code == 200
    assert len(redis_round_trips) <= FIRST_ARTICLE_ROUND_TRIPS
    redis_round_trips.clear()
    with django_assert_max_num_queries(COLD_ARTICLE_QUERIES):
        response = client.get(second)
    assert response.status_code == 200 and articles[1].title_ru in response.content.decode()
    assert len(redis_round_trips) <= COLD_ARTICLE_ROUND_TRIPS
    # And it is cached: the next reader gets it without a query.
    page_cache.forget_process_copy()
    with django_assert_max_num_queries(0):
        assert client.get(second).content == response.content
