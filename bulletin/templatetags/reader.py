"""Template helpers for the reader site: trend badges, timelines, periods."""

from django import template
from django.utils.translation import get_language

from bulletin import images
from bulletin.models import Article
from bulletin.sanitize import plain_text

register = template.Library()


@register.inclusion_tag("bulletin/_trend.html")
def trend(value, label=None):
    """The trend in colour, shape and words ("The situation has worsened", or
    `label`, e.g. the run: "Worsening for 2 weeks")."""
    try:
        default = Article.Trend(value).label
    except ValueError:
        return {"trend": None}
    return {"trend": value, "label": label or default}


@register.inclusion_tag("bulletin/_timeline.html")
def timeline(line, *, compact=False):
    return {"timeline": line, "compact": compact}


@register.filter
def period_without_year(issue):
    """"April 8 – April 14": the week, for places where the year is obvious."""
    return issue.period_label(with_year=False)


@register.filter(name="plain_text")
def plain_text_filter(html):
    """Rich text (a sanitised lead) as the words a plain-text email or a
    description shows: no tags, no entities."""
    return plain_text(html)


@register.simple_tag(name="reader_url")
def reader_url_tag(name):
    """{% url name %} for a reader page without arguments, reversed once per
    process and language (bulletin/urlcache.py); the same output."""
    from bulletin.urlcache import reader_url

    return reader_url(name)


# A card image is the column wide on a phone, 14rem beside the text on a wider screen.
CARD_SIZES = "(max-width: 40rem) 100vw, 14rem"


@register.simple_tag
def card_picture(article):
    """The article's lead image on a card: a lazy <picture> with srcset, sizes,
    width and height, alt text in the page's language ("" without an image).
    The image comes with the article (for_reader() selects it): no query."""
    if not article.lead_image_id:
        return ""
    return images.picture_html(article.lead_image, get_language(), sizes=CARD_SIZES)
