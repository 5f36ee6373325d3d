"""Which languages the newsletter goes out in (bulletin.Language.newsletter_enabled)."""

from django.core.cache import cache

from bulletin import cache as page_cache
from bulletin.models import Language


def newsletter_languages():
    """(code, name in itself) of each language with a newsletter, in site order.

    Cached with the page-cache generation, which any Language change bumps: the
    subscribe box on every (even cached) page needs this without a query."""
    key = f"newsletter-languages:{page_cache.generation()}"
    languages = cache.get(key)
    if languages is None:
        languages = list(
            Language.objects.filter(newsletter_enabled=True)
            .order_by("position", "code")
            .values_list("code", "name")
        )
        cache.set(key, languages, timeout=None)
    return languages


def newsletter_language_codes() -> set[str]:
    return {code for code, _name in newsletter_languages()}
