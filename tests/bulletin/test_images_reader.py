"""Images where readers and subscribers see them: reader pages (picture with
srcset, width/height, lazy below the fold, alt and credit in the page's
language, og:image), the newsletter (absolute URLs, at most 600 px, under
Gmail's clipping limit), feeds, and the readiness matrix (alt text required)."""

import io
import re

import feedparser
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bulletin import services
from bulletin.images import image_create
from bulletin.models import Article
from bulletin.readiness import readiness_matrix
from newsletter.dispatch.content import render_issue_email
from tests.factories import ArticleFactory, IssueFactory, TopicFactory, editor
from tests.images import picture
from tests.reader_content import approve, week

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://bulletin.example"


def chart(alt_en="Potash exports, 2018", alt_be="Экспарт калію, 2018",
          alt_ru="Экспорт калия, 2018", **fields):
    """An uploaded chart with its renditions made (the task runs in-process here)."""
    from bulletin.images import image_make_renditions

    image = image_create(upload=io.BytesIO(picture("PNG", size=(1800, 1000))), alt_en=alt_en,
                         alt_be=alt_be, alt_ru=alt_ru, credit="Belstat", **fields)
    image_make_renditions(image.pk)
    image.refresh_from_db()
    return image


def figure(image, caption="Exports fell by a third."):
    return (f'<figure><img src="{image.file.url}" alt="typed alt" data-file="{image.pk}">'
            f"<figcaption>{caption}</figcaption></figure>")


def published(*, lead_image=None, body_images=(), slug="potash", issue_number=7, **texts):
    user = editor("publisher")
    issue = IssueFactory(number=issue_number, start_date=week(issue_number))
    body = "<p>Intro.</p>" + "".join(figure(i) for i in body_images)
    fields = {"body_en": body, "body_be": "<p>Уводзіны.</p>" + "".join(
        figure(i, "Экспарт скараціўся.") for i in body_images), **texts}
    article = ArticleFactory(issue=issue, topic=TopicFactory(slug=f"economy-{slug}"), slug=slug,
                             lead_image=lead_image, **fields)
    approve(article, user)
    services.issue_publish(issue=issue, user=user)
    article.refresh_from_db()
    return article


def test_article_page_shows_responsive_images_with_alt_and_credit(client):
    lead, body_chart = chart(), chart(alt_en="Imports by month", alt_be="Імпарт па месяцах")
    article = published(lead_image=lead, body_images=[body_chart])
    html = client.get(f"/en/issues/7/{article.slug}/").content.decode()

    pictures = re.findall(r"<picture>.*?</picture>", html, re.S)
    assert len(pictures) == 2
    lead_html, body_html = pictures
    for image, markup in ((lead, lead_html), (body_chart, body_html)):
        assert f'width="{image.width}" height="{image.height}"' in markup
        assert '<source type="image/webp"' in markup
        assert re.search(r'srcset="[^"]*-480\.webp 480w, [^"]*-960\.webp 960w, [^"]*-1600\.webp '
                         r'1600w"', markup)
        assert re.search(r'-480\.png 480w, [^"]*-960\.png 960w, [^"]*-1600\.png 1600w, '
                         rf'{re.escape(image.file.url)} 1800w"', markup)
        assert 'sizes="' in markup
    # The lead image is above the fold: loaded at once; the body's lazily.
    assert 'fetchpriority="high"' in lead_html and 'loading="lazy"' not in lead_html
    assert 'loading="lazy"' in body_html
    # Alt text from the Image in the page's language, not what the body typed.
    assert 'alt="Potash exports, 2018"' in lead_html and 'alt="Imports by month"' in body_html
    assert "typed alt" not in html
    # Caption and credit.
    assert re.search(r"Exports fell by a third\. <span class=\"figure__credit\">Belstat</span>"
                     r"</figcaption>", html)
    # og:image: the lead image, absolute, at most 1600 px wide, with its alt text.
    assert re.search(r'<meta property="og:image" content="https://bulletin\.example/media/'
                     r'images/[0-9a-f]{32}-1600\.png">', html)
    assert '<meta property="og:image:width" content="1600">' in html
    assert '<meta property="og:image:alt" content="Potash exports, 2018">' in html

    be = client.get(f"/be/issues/7/{article.slug}/").content.decode()
    assert 'alt="Экспарт калію, 2018"' in be and 'alt="Імпарт па месяцах"' in be
    assert "Экспарт скараціўся." in be


def test_until_renditions_exist_the_original_is_shown(client):
    image = image_create(upload=io.BytesIO(picture("JPEG", size=(1200, 700))), alt_en="Photo")
    article = published(lead_image=image)
    html = client.get(f"/en/issues/7/{article.slug}/").content.decode()
    assert f'src="{image.file.url}" srcset="{image.file.url} 1200w"' in html
    assert '<source type="image/webp"' not in html
    assert client.get(image.file.url).status_code == 200


def test_queries_per_article_page_do_not_grow_with_images(client):
    one = published(body_images=[chart()], slug="one", issue_number=8)
    three = published(lead_image=chart(), body_images=[chart(), chart(), chart()], slug="three",
                      issue_number=9)
    counts = []
    for article in (one, three):
        cache.clear()
        with CaptureQueriesContext(connection) as context:
            response = client.get(f"/en/issues/{article.issue.number}/{article.slug}/")
        assert response.status_code == 200
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1], counts
    assert response.content.decode().count("<picture>") == 4


def test_newsletter_shows_lead_images_small_with_absolute_urls():
    images = [chart() for _ in range(3)]
    user = editor("publisher")
    issue = IssueFactory(number=11, start_date=week(11))
    topic = TopicFactory(slug="economy-mail")
    for n, image in enumerate(images):
        approve(ArticleFactory(issue=issue, topic=topic, slug=f"a{n}", lead_image=image,
                               lead_en="<p>Talks on <strong>oil</strong> stalled.</p>"), user)
    services.issue_publish(issue=issue, user=user)
    for language, alt in (("en", "Potash exports, 2018"), ("ru", "Экспорт калия, 2018")):
        rendered = render_issue_email(issue, language)
        tags = re.findall(r"<img [^>]*>", rendered.html)
        assert len(tags) == 3
        for tag in tags:
            src = re.search(r'src="([^"]+)"', tag).group(1)
            assert src.startswith("https://bulletin.example/media/images/")
            assert src.endswith("-480.png")  # a PNG rendition (no WebP in email), ≤ 600 px
            assert int(re.search(r'width="(\d+)"', tag).group(1)) <= 600
            assert f'alt="{alt}"' in tag
        assert len(rendered.html.encode()) < 102 * 1024
        # The lead is rich text: HTML in the HTML part, plain words in the text part.
        if language == "en":
            assert "Talks on <strong>oil</strong> stalled." in rendered.html
            assert "Talks on oil stalled." in rendered.text and "<p>" not in rendered.text


def test_feeds_enclose_the_lead_image_at_an_absolute_url(client):
    image = chart()
    published(lead_image=image)
    feed = feedparser.parse(client.get("/en/feeds/rss/").content)
    enclosure = feed.entries[0].enclosures[0]
    assert enclosure.href.startswith("https://bulletin.example/media/images/")
    assert enclosure.type == "image/png"


def test_an_image_without_alt_text_in_a_language_keeps_it_from_ready():
    lead = chart(alt_be="")
    body = chart(alt_ru="")
    issue = IssueFactory(number=12, start_date=week(12))
    article = ArticleFactory(
        issue=issue, lead_image=None,
        body_ru="<p>Текст.</p>" + figure(body), body_be="<p>Тэкст.</p>", body_en="<p>Text.</p>")
    assert [article.translation_state(c) for c in ("en", "be", "ru")] == [
        "ready", "ready", "no_alt"]
    article.lead_image = lead
    article.save()
    article = Article.objects.get(pk=article.pk)
    assert [article.translation_state(c) for c in ("en", "be", "ru")] == [
        "ready", "no_alt", "no_alt"]
    matrix = readiness_matrix(issue)
    assert [c["state"] for c in matrix["rows"][0]["cells"]] == ["ready", "no_alt", "no_alt"]
    assert dict(matrix["totals"])["be"]["no_alt"] == 1
    lead.alt_be = "Экспарт"
    lead.save()
    body.alt_ru = "Экспорт"
    body.save()
    article = Article.objects.get(pk=article.pk)
    assert [article.translation_state(c) for c in ("en", "be", "ru")] == ["ready"] * 3


def test_readiness_matrix_queries_do_not_grow_with_images(django_assert_max_num_queries):
    issue = IssueFactory(number=13, start_date=week(13))
    for n in range(4):
        ArticleFactory(issue=issue, slug=f"r{n}", lead_image=chart(),
                       body_en="<p>x</p>" + figure(chart()))
    with django_assert_max_num_queries(3):
        readiness_matrix(issue)


@pytest.mark.parametrize("url", ["/{language}/", "/{language}/issues/12/"])
def test_home_and_issue_cards_show_lead_images_at_a_constant_cost(client, url):
    """Each card with a lead image shows it: a lazy <picture> with srcset,
    sizes, width and height and the alt text in the page's language; a card
    without one has none; and the page's queries do not grow with images."""
    user = editor("publisher")
    issue = IssueFactory(number=12, start_date=week(12))
    topic = TopicFactory(slug="economy-cards")
    pictures = [chart(), chart(), None]
    for n, image in enumerate(pictures):
        approve(ArticleFactory(issue=issue, topic=topic, slug=f"c{n}", lead_image=image,
                               position=n, title_be=f"Артыкул {n}",
                               lead_be="<p>Лід.</p>", body_be="<p>Тэкст.</p>"), user)
    services.issue_publish(issue=issue, user=user)
    counts = {}
    for language, alt in (("en", "Potash exports, 2018"), ("be", "Экспарт калію, 2018")):
        cache.clear()
        with CaptureQueriesContext(connection) as context:
            html = client.get(url.format(language=language)).content.decode()
        counts[language] = len(context.captured_queries)
        cards = re.findall(r'<article class="card[^"]*">.*?</article>', html, re.S)
        assert len(cards) == 3
        for card, image in zip(cards, pictures, strict=True):
            if image is None:
                assert "<picture>" not in card and "card--with-image" not in card
                continue
            markup = re.search(r"<picture>.*?</picture>", card, re.S)[0]
            assert f'width="{image.width}" height="{image.height}"' in markup
            assert 'loading="lazy"' in markup
            assert 'sizes="(max-width: 40rem) 100vw, 14rem"' in markup
            assert re.search(r'srcset="[^"]*-480\.webp 480w', markup)
            assert f'alt="{alt}"' in markup
    # Without images, the same page costs the same (tests/bulletin/test_reader_performance.py).
    Article.objects.update(lead_image=None)
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        client.get(url.format(language="en"))
    assert counts["en"] == counts["be"] == len(context.captured_queries)
