from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from bulletin import languages
from bulletin.page import Meta


def site(request):
    """Site-wide template context. `language_links` and `meta` are the defaults
    for pages outside the reader site (the newsletter's, error pages): the same
    path in each language. Reader pages pass their own (pagecache.responses.serve)."""

    def default_links():
        return languages.links(languages.translated_paths(request.path))

    def default_meta():
        urls = languages.translated_paths(request.path)
        current = get_language()
        return Meta(
            title=settings.SITE_NAME,
            canonical=request.path,
            alternates=list(urls.items()),
            x_default=languages.x_default(urls),
            og_locale=languages.og_locale(current),
            og_locale_alternates=[languages.og_locale(c) for c in urls if c != current],
        )

    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "language_links": SimpleLazyObject(default_links),
        "meta": SimpleLazyObject(default_meta),
    }
