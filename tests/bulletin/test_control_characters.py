"""Control characters (Word's soft line break U+000B, NUL, escape, ...) never
reach storage, whatever path the text takes, and the feeds never fail on them."""

import feedparser
import pytest
from django.urls import reverse

from bulletin.models import Article, Author, Issue, Topic
from bulletin.pagecache import generation as page_cache
from bulletin.text import clean_text, has_control_characters
from newsletter.models import Subscriber
from tests.bulletin.test_admin import article_form
from tests.factories import IssueFactory, TopicFactory, editor
from tests.reader_content import sample_site

pytestmark = pytest.mark.django_db

FEEDS = ["/en/feeds/rss/", "/en/feeds/atom/", "/en/topics/security/feeds/rss/",
         "/en/topics/security/feeds/atom/"]
NASTY = ["\x0b", "\x00", "\x01", "\x08", "\x0c", "\x1b", "\x1f", "\x7f", "\x85", "\x9f"]


@pytest.mark.parametrize("value, single, multi", [
    ("Soft\x0bbreak", "Soft break", "Soft\nbreak"),
    ("Tab\tand\nnewline\r\n", "Tab and newline ", "Tab\tand\nnewline\r\n"),
    ("N\x00U\x01L\x1b[31m", "NUL[31m", "NUL[31m"),
    ("page\x0cfeed", "page feed", "page\nfeed"),
    ("del\x7f c1\x80\x9f", "del c1", "del c1"),
    ("Беларусь — ok ✓", "Беларусь — ok ✓", "Беларусь — ok ✓"),
])
def test_clean_text(value, single, multi):
    assert clean_text(value, multiline=False) == single
    assert clean_text(value, multiline=True) == multi
    assert not has_control_characters(clean_text(value, multiline=True))


def test_every_text_field_is_cleaned_when_saved_through_the_orm():
    topic = Topic.objects.create(slug="t", name_en="Secu\x0brity", description_en="A\x0bB\x00")
    issue = IssueFactory(title_en="Week\x0b1", summary_en="Sum\x0bmary")
    article = Article.objects.create(
        issue=issue, topic=topic, slug="a", title_en="Title\x0bwith a break",
        title_ru="За\x00головок", lead_en="Lead\x0bline",
        body_en="<p>Body\x0bline\x1b</p>",
    )
    author = Author.objects.create(slug="anna", name_en="Anna\x0bAnalyst", bio_en="A\x0bB")
    topic.refresh_from_db()
    issue.refresh_from_db()
    article.refresh_from_db()
    assert (topic.name_en, topic.description_en) == ("Secu rity", "A\nB")
    assert (issue.title_en, issue.summary_en) == ("Week 1", "Sum\nmary")
    assert article.title_en == "Title with a break" and article.title_ru == "Заголовок"
    author.refresh_from_db()
    assert (author.name_en, author.bio_en) == ("Anna Analyst", "A\nB")
    assert article.lead_en == "Lead\nline" and "\x0b" not in article.body_en
    assert "\x1b" not in article.body_en


def test_saving_again_does_not_mark_a_translation_changed():
    topic = TopicFactory()
    article = Article.objects.create(issue=IssueFactory(), topic=topic, slug="a",
                                     title_en="T\x0bT", lead_en="L", body_en="<p>B</p>")
    stamps = dict(article.text_changed_at)
    article = Article.objects.get(pk=article.pk)
    article.save()
    assert article.text_changed_at == stamps


def test_the_admin_stores_no_control_characters(client):
    client.force_login(editor())
    issue, topic = IssueFactory(), TopicFactory()
    response = client.post(reverse("admin:bulletin_author_add"),
                           {"slug": "a-analyst", "name_en": "A.\x0bAnalyst"})
    assert response.status_code == 302, response.content.decode()[:2000]
    author = Author.objects.get(slug="a-analyst")
    data = article_form(issue, topic, title_en="Potash\x0btransit", lead_en="Transit\x0bmoved.",
                        **{"bylines-TOTAL_FORMS": "1", "bylines-0-author": author.pk,
                           "bylines-0-position": "0"})
    response = client.post(reverse("admin:bulletin_article_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="new-article")
    assert article.title_en == "Potash transit" and author.name_en == "A. Analyst"
    assert list(article.authors.all()) == [author]
    assert article.lead_en == "Transit\nmoved."


def test_newsletter_text_is_cleaned_too():
    row = Subscriber.objects.create(email="a@example.org", language="en",
                                    consent_text="I\x0bagree", bounce_reason="550\x00 no")
    row.refresh_from_db()
    assert (row.consent_text, row.bounce_reason) == ("I\nagree", "550 no")


@pytest.mark.parametrize("char", NASTY)
def test_feeds_never_fail_on_stored_control_characters(client, char):
    """Rows written around save() (older data, raw SQL) still give valid feeds."""
    from django.db import connection

    if char == "\x00" and connection.vendor == "postgresql":
        pytest.skip("PostgreSQL itself cannot store NUL")
    site = sample_site()
    Article.objects.filter(pk=site.azerbaijan.pk).update(
        title_en=f"Azer{char}baijan", lead_en=f"Lead{char}text")
    Author.objects.filter(name_en="Anna Analyst").update(name_en=f"Anna{char}Analyst")
    Topic.objects.filter(pk=site.security.pk).update(
        name_en=f"Security{char}issues", description_en=f"Defence{char}policy")
    Issue.objects.filter(pk=site.first.pk).update(title_en=f"A{char}week")
    page_cache.bump()  # .update() sends no signal
    anna = Author.objects.get(name_en=f"Anna{char}Analyst")
    author_feeds = [reverse(f"bulletin:author_feed_{kind}", kwargs={"slug": anna.slug})
                    for kind in ("rss", "atom")]
    for url in FEEDS + author_feeds:
        response = client.get(url)
        assert response.status_code == 200, url
        feed = feedparser.parse(response.content)
        assert not feed.bozo, (url, feed.get("bozo_exception"))
        titles = [e.title for e in feed.entries]
        assert any(t.startswith("Azer") and t.endswith("baijan") for t in titles), titles
    for page in ["/en/", f"/en/issues/{site.first.number}/", "/en/topics/security/",
                 site.azerbaijan.url_in("en"), "/en/search/?q=Azerbaijan", "/sitemap.xml"]:
        assert client.get(page).status_code == 200, page
