"""sitemap.xml: every published page in each language it exists in, with its
hreflang alternates and an x-default. An article is listed only in the
languages it is translated into; an issue only in those where it has at
least one published article. URLs are on settings.SITE_URL."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from bulletin import languages
from bulletin.models import Article, Issue, Topic


class ReaderSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        parts = urlsplit(settings.SITE_URL)
        return parts.netloc + parts.path


class PagesSitemap(ReaderSitemap):
    changefreq = "weekly"

    def items(self):
        return ["bulletin:home", "bulletin:topics", "bulletin:archive"]

    def location(self, item):
        return reverse(item)


class TopicSitemap(ReaderSitemap):
    changefreq = "weekly"

    def items(self):
        return Topic.objects.all()


class IssueSitemap(ReaderSitemap):
    def items(self):
        return (
            Issue.objects.published().with_article_counts(languages.codes()).order_by("start_date")
        )

    def get_languages_for_item(self, item):
        return [code for code in languages.codes() if getattr(item, f"articles_{code}", 0)]

    def lastmod(self, item):
        return item.updated_at


class ArticleSitemap(ReaderSitemap):
    def items(self):
        return (
            Article.objects.published()
            .select_related("issue")
            .order_by("issue__start_date", "position", "pk")
        )

    def get_languages_for_item(self, item):
        return item.languages

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {
    "pages": PagesSitemap,
    "topics": TopicSitemap,
    "issues": IssueSitemap,
    "articles": ArticleSitemap,
}
