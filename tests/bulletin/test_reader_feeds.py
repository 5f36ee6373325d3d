"""Feeds, sitemap and robots.txt: valid, in the right language, published only."""

import xml.etree.ElementTree as ET

import feedparser
import pytest

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


@pytest.mark.parametrize("kind, mime", [("rss", "application/rss+xml"),
                                        ("atom", "application/atom+xml")])
def test_language_feeds(client, site, kind, mime):
    response, feed = parse(client, f"/en/feeds/{kind}/")
    assert response["Content-Type"].startswith(mime)
    assert feed.feed.language == "en"
    assert [e.title for e in feed.entries] == [
        "Russian units stay after joint drills",
        "Azerbaijan to remain Belarus’ strategic partner in the South Caucasus",
        "Oil supplies stall again",
    ]
    assert feed.entries[0].link == f"{SITE}/en/issues/2/troops/"
    assert all(e.link.startswith(SITE + "/en/") for e in feed.entries)
    assert feed.entries[1].get("tags")[0]["term"] == "Security issues"
    assert "Informal, albeit effective alliances" in feed.entries[1].summary

    _response, russian = parse(client, f"/ru/feeds/{kind}/")
    assert russian.feed.language == "ru"
    assert [e.title for e in russian.entries] == [
        "Российские подразделения остаются после учений",
        "Азербайджан останется стратегическим партнёром Беларуси на Южном Кавказе",
    ]  # no English-only article, no draft
    assert all(e.link.startswith(SITE + "/ru/") for e in russian.entries)

    _response, belarusian = parse(client, f"/be/feeds/{kind}/")
    assert belarusian.feed.language == "be"
    assert [e.link for e in belarusian.entries] == [f"{SITE}/be/issues/1/azerbaijan/"]


def test_topic_feeds(client, site):
    _response, feed = parse(client, "/ru/topics/security/feeds/atom/")
    assert feed.feed.language == "ru"
    assert "Вопросы безопасности" in feed.feed.title
    assert len(feed.entries) == 2
    _response, feed = parse(client, "/ru/topics/economy/feeds/rss/")
    assert feed.entries == []  # the only economy article is in English
    _response, feed = parse(client, "/en/topics/economy/feeds/rss/")
    assert [e.title for e in feed.entries] == ["Oil supplies stall again"]
    assert client.get("/en/topics/no-such-topic/feeds/rss/").status_code == 404


def test_feeds_have_no_unpublished_items(client, site):
    for url in ("/en/feeds/rss/", "/ru/feeds/atom/", "/en/topics/security/feeds/rss/"):
        assert "budget" not in client.get(url).content.decode()


def test_sitemap_has_hreflang_alternates_and_only_published_content(client, site):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 (our own sitemap)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    entries = {
        url.find("s:loc", ns).text: {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)
        }
        for url in root.findall("s:url", ns)
    }
    # The article in three languages: three entries, each with every alternate.
    for code in ("en", "be", "ru"):
        assert entries[f"{SITE}/{code}/issues/1/azerbaijan/"] == {
            "en": f"{SITE}/en/issues/1/azerbaijan/",
            "be": f"{SITE}/be/issues/1/azerbaijan/",
            "ru": f"{SITE}/ru/issues/1/azerbaijan/",
            "x-default": f"{SITE}/issues/1/azerbaijan/",
        }
    # English only: one entry; English and Russian: no Belarusian anywhere.
    assert entries[f"{SITE}/en/issues/1/oil/"] == {
        "en": f"{SITE}/en/issues/1/oil/", "x-default": f"{SITE}/issues/1/oil/"}
    assert f"{SITE}/ru/issues/1/oil/" not in entries
    assert f"{SITE}/be/issues/2/troops/" not in entries
    assert f"{SITE}/be/issues/2/" not in entries  # no article of issue 2 in Belarusian
    assert entries[f"{SITE}/ru/issues/2/"]["en"] == f"{SITE}/en/issues/2/"
    # Pages and topics in every language.
    for code in ("en", "be", "ru"):
        for path in ("", "issues/", "topics/", "topics/security/"):
            assert f"{SITE}/{code}/{path}" in entries
    # Nothing unpublished.
    assert not [loc for loc in entries if "/issues/3/" in loc or "draft" in loc]


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert f"Sitemap: {SITE}/sitemap.xml" in body
    assert "Disallow: /admin/" in body and "Disallow: /ru/search/" in body


def test_absolute_links_follow_site_url(client, site, settings):
    settings.SITE_URL = "https://bulletin.example.org"
    _response, feed = parse(client, "/en/feeds/rss/")
    assert feed.entries[0].link == "https://bulletin.example.org/en/issues/2/troops/"
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "<loc>https://bulletin.example.org/en/</loc>" in sitemap
    html = client.get("/en/issues/1/").content.decode()
    assert '<link rel="canonical" href="https://bulletin.example.org/en/issues/1/">' in html


def test_feeds_and_sitemap_are_cached_until_content_changes(client, site,
                                                           django_assert_num_queries):
    first = client.get("/en/feeds/atom/")
    sitemap = client.get("/sitemap.xml")
    with django_assert_num_queries(0):
        again = client.get("/en/feeds/atom/")
        sitemap_again = client.get("/sitemap.xml")
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Last-Modified"] == first["Last-Modified"]
    assert sitemap_again["X-Robots-Tag"] == sitemap["X-Robots-Tag"]
    site.troops.title_en = "Russian units leave at last"
    site.troops.save()
    assert "Russian units leave at last" in client.get("/en/feeds/atom/").content.decode()


def test_topic_description_is_text_in_both_feeds(client, site):
    """A topic's description is plain text: escaped where RSS readers expect HTML
    (the channel's description), as it is in Atom's text subtitle."""
    site.security.description_en = 'Arms & <img src=x onerror="alert(1)">'
    site.security.save()
    rss = ET.fromstring(client.get("/en/topics/security/feeds/rss/").content)  # noqa: S314
    assert rss.find("channel/description").text == (
        "Arms &amp; &lt;img src=x onerror=&quot;alert(1)&quot;&gt;")
    atom = ET.fromstring(client.get("/en/topics/security/feeds/atom/").content)  # noqa: S314
    subtitle = atom.find("{http://www.w3.org/2005/Atom}subtitle")
    assert subtitle.text == 'Arms & <img src=x onerror="alert(1)">'
    assert subtitle.get("type") in (None, "text")
