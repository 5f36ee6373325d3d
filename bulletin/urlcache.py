"""Reader URLs, reversed once per process.

A reader page names a few dozen URLs (its own in every language, its issue,
topic, authors, neighbours); Django's reverse() costs more than anything else
of an uncached page but its queries and templates (bench/part_coldpage.py).
The same name, arguments, language, script prefix and URLconf always give the
same URL, so it is kept, up to LIMIT entries, and forgotten when a setting
changes (a test's override of ROOT_URLCONF, say).
"""

from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language, override

LIMIT = 50_000
_urls: dict[tuple, str] = {}


def reader_url(name: str, language: str | None = None, **kwargs) -> str:
    """reverse(name, kwargs=kwargs) in `language` (default: the active one)."""
    language = language or get_language()
    if not language:
        return reverse(name, kwargs=kwargs or None)
    key = (name, tuple(sorted(kwargs.items())), language, get_script_prefix(), get_urlconf())
    url = _urls.get(key)
    if url is None:
        with override(language):
            url = reverse(name, kwargs=kwargs or None)
        if len(_urls) < LIMIT:
            _urls[key] = url
    return url


def _forget(**kwargs):
    _urls.clear()


setting_changed.connect(_forget, dispatch_uid="bulletin-urlcache")
