"""Authors as people: a translated name and bio, a page and feeds per language
listing their published articles, bylines that link there, and the old
free-text authors migrated into Author rows."""

import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from bulletin import services
from bulletin.models import Author
from tests.reader_content import sample_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    found = sample_site()
    anna = Author.objects.get(name_en="Anna Analyst")
    anna.bio_en = "Writes on security."
    anna.bio_be = "Піша пра бяспеку."
    anna.bio_ru = "Пишет о безопасности."
    anna.save()
    return found


def titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="entry__title"><a href="([^"]+)"', html)


def test_author_page_lists_their_published_articles_in_each_language(client, site):
    html = client.get("/en/authors/anna-analyst/").content.decode()
    assert "<h1>Anna Analyst</h1>" in html and "Writes on security." in html
    assert titles(html) == [
        "/en/issues/2/troops/", "/en/issues/1/azerbaijan/", "/en/issues/1/oil/"]
    assert "/en/issues/3/" not in html  # the unpublished draft is never listed
    assert '<title>Anna Analyst · Belarus Weekly</title>' in html

    html = client.get("/ru/authors/anna-analyst/").content.decode()
    assert "<h1>Анна Аналитик</h1>" in html and "Пишет о безопасности." in html
    assert titles(html) == ["/ru/issues/2/troops/", "/ru/issues/1/azerbaijan/"]
    assert "Anna" not in html

    html = client.get("/be/authors/ivan-analyst/").content.decode()
    assert "<h1>Іван Аналітык</h1>" in html
    assert titles(html) == ["/be/issues/1/azerbaijan/"]


def test_author_feeds_in_each_language(client, site):
    rss = client.get("/ru/authors/anna-analyst/feeds/rss/").content.decode()
    assert "<title>Анна Аналитик · Belarus Weekly</title>" in rss
    assert rss.count("<item>") == 2
    atom = client.get("/be/authors/anna-analyst/feeds/atom/").content.decode()
    assert "<name>Ганна Аналітык, Іван Аналітык</name>" in atom
    assert "Anna" not in atom
    # The site's feed names the authors in the feed's language too.
    assert "Анна Аналитик" in client.get("/ru/feeds/rss/").content.decode()


def test_a_name_not_yet_translated_is_marked_as_english(client, site):
    article = site.troops
    services.article_set_authors(article=article, authors=[
        services.author_get_or_create(name="John Newcomer")])
    html = client.get("/ru/issues/2/troops/").content.decode()
    assert '<a href="/ru/authors/john-newcomer/" rel="author" lang="en">John Newcomer</a>' in html
    assert '<h1 lang="en">John Newcomer</h1>' in client.get(
        "/ru/authors/john-newcomer/").content.decode()


@pytest.mark.parametrize("path", [
    "/en/authors/nobody/", "/ru/authors/nobody/feeds/rss/", "/be/authors/nobody/feeds/atom/",
    "/en/authors/anna-analyst/?page=9", "/en/authors/anna-analyst/?page=x",
])
def test_missing_authors_and_pages_are_404(client, site, path):
    assert client.get(path).status_code == 404


def test_byline_order_and_repeats(site):
    anna, ivan = (Author.objects.get(name_en=n) for n in ("Anna Analyst", "Ivan Analyst"))
    services.article_set_authors(article=site.troops, authors=[ivan, anna, ivan])
    assert [b.author for b in site.troops.bylines.all()] == [ivan, anna]


def test_migration_turns_authors_text_into_authors(transactional_db):
    executor = MigrationExecutor(connection)
    before, after = [("bulletin", "0009_search_folds_yo")], [("bulletin", "0010_authors")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Issue, Topic, Article = (old.get_model("bulletin", m) for m in ("Issue", "Topic", "Article"))
    import datetime

    issue = Issue.objects.create(number=1, start_date=datetime.date(2018, 11, 12),
                                 end_date=datetime.date(2018, 11, 18))
    topic = Topic.objects.create(slug="security")
    for slug, text in [("a", "Ihar Ramaniuk, Yauhen Lapitski"), ("b", " Yauhen  Lapitski "),
                       ("c", ""), ("d", "Ihar Ramaniuk,Ihar Ramaniuk, ,")]:
        Article.objects.create(issue=issue, topic=topic, slug=slug, authors=text,
                               text_changed_at={})
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    Author_, Byline = new.get_model("bulletin", "Author"), new.get_model("bulletin", "Byline")
    assert sorted(Author_.objects.values_list("name_en", "slug")) == [
        ("Ihar Ramaniuk", "ihar-ramaniuk"), ("Yauhen Lapitski", "yauhen-lapitski")]
    bylines = {slug: list(Byline.objects.filter(article__slug=slug).order_by("position")
                          .values_list("author__name_en", flat=True)) for slug in "abcd"}
    assert bylines == {"a": ["Ihar Ramaniuk", "Yauhen Lapitski"], "b": ["Yauhen Lapitski"],
                       "c": [], "d": ["Ihar Ramaniuk"]}
    # And back: the text again, in byline order.
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    assert old.get_model("bulletin", "Article").objects.get(slug="a").authors == (
        "Ihar Ramaniuk, Yauhen Lapitski")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
