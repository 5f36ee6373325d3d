"""RSS and Atom feeds per language (/en/feeds/rss/) and per topic and language
(/en/topics/security/feeds/atom/): the latest published articles translated
into the feed's language. The language comes from the URL prefix; links are
absolute on settings.SITE_URL, the site's canonical address."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import get_language, gettext

from bulletin.images import mime_type
from bulletin.models import Article, Author, Topic, absolute_url
from bulletin.pages import author_credit
from bulletin.text import clean_text

ITEMS = 30


def _cleaned(value):
    if isinstance(value, str):
        return clean_text(value, multiline=True)
    if isinstance(value, list | tuple):
        return type(value)(_cleaned(v) for v in value)
    return value


class _CleanText:
    """A feed generator that drops control characters from whatever it is given.

    Stored text is cleaned on save (bulletin/text.py); this holds for rows
    saved before that, or written around save(), since one control character
    would otherwise make Django's XML writer fail the whole feed.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*_cleaned(args), **{k: _cleaned(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*_cleaned(args), **{k: _cleaned(v) for k, v in kwargs.items()})


class CleanRssFeed(_CleanText, Rss201rev2Feed):
    pass


class CleanAtomFeed(_CleanText, Atom1Feed):
    pass


class ArticlesFeed(Feed):
    """The latest articles in the current language, RSS 2.0."""

    feed_type = CleanRssFeed
    feed_route = "bulletin:feed_rss"

    def title(self, obj):
        return settings.SITE_NAME

    def description(self, obj):
        return gettext("Weekly analysis of politics and society in Belarus.")

    def subtitle(self, obj):  # Atom's name for the description
        return self.description(obj)

    def link(self, obj):
        return absolute_url(reverse("bulletin:home"))

    def feed_url(self, obj):
        return absolute_url(reverse(self.feed_route))

    def articles(self, obj):
        return Article.objects.published().for_language(get_language()).for_reader()

    def items(self, obj):
        bylines = Author.objects.order_by("bylines__position", "bylines__pk")
        return self.articles(obj).in_reading_order().prefetch_related(
            Prefetch("authors", queryset=bylines))[:ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead

    def item_enclosures(self, item):
        # The lead image, at an absolute URL (a fallback rendition feed readers show).
        image = item.lead_image
        if image is None:
            return []
        url, _width, _height = image.fitting_src(960)
        return [Enclosure(url, "0", mime_type(url))]

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item):
        return self.item_link(item)

    def item_pubdate(self, item):
        return item.published_at or item.issue.published_at

    def item_updateddate(self, item):
        """A correction after publication is an update (Atom's <updated>)."""
        return item.corrected_at or self.item_pubdate(item)

    def item_author_name(self, item):
        language = get_language()
        names = [author_credit(a, language).name for a in item.authors.all()]
        return ", ".join(names) or None

    def item_categories(self, item):
        return [item.topic.name] if item.topic.name else []


class ArticlesAtomFeed(ArticlesFeed):
    feed_type = CleanAtomFeed
    feed_route = "bulletin:feed_atom"


class _FeedOfOne(ArticlesFeed):
    """The latest articles of one thing that has a slug and a page (a topic, an author)."""

    model = None

    def get_object(self, request, slug):
        return get_object_or_404(self.model, slug=slug)

    def link(self, obj):
        return absolute_url(obj.get_absolute_url())

    def feed_url(self, obj):
        return absolute_url(reverse(self.feed_route, kwargs={"slug": obj.slug}))


class TopicFeed(_FeedOfOne):
    """One topic's latest articles in the current language."""

    model = Topic
    feed_route = "bulletin:topic_feed_rss"

    def title(self, obj):
        return f"{obj.name or obj.slug} · {settings.SITE_NAME}"

    def description(self, obj):
        # RSS: readers render a channel's description as HTML, and the topic's
        # description is plain text (the site escapes it too).
        return escape(self.subtitle(obj))

    def subtitle(self, obj):  # Atom: a text construct, shown as it is
        return obj.description or super().description(obj)

    def articles(self, obj):
        return super().articles(obj).in_topic(obj)


class TopicAtomFeed(TopicFeed):
    feed_type = CleanAtomFeed
    feed_route = "bulletin:topic_feed_atom"


class AuthorFeed(_FeedOfOne):
    """One author's latest articles in the current language."""

    model = Author
    feed_route = "bulletin:author_feed_rss"

    def title(self, obj):
        return f"{author_credit(obj, get_language()).name} · {settings.SITE_NAME}"

    def articles(self, obj):
        return super().articles(obj).filter(bylines__author=obj)


class AuthorAtomFeed(AuthorFeed):
    feed_type = CleanAtomFeed
    feed_route = "bulletin:author_feed_atom"
