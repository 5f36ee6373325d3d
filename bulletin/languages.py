"""The site's languages as a reader meets them: the language switch, hreflang
alternates and OpenGraph locales.

Which languages are live (bulletin.Language.is_live) and which have a
newsletter is read once per cache generation (any Language change bumps it),
so pages, even cached ones, pay no query for it."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.translation import get_language, get_language_info, override

from bulletin.pagecache import generation as page_cache

# OpenGraph wants a territory with the language.
OG_LOCALES = {"en": "en_GB", "be": "be_BY", "ru": "ru_RU"}


def site_languages() -> list[tuple[str, str, bool, bool]]:
    """(code, name, is_live, newsletter_enabled) of each Language row, in site order."""
    return page_cache.memoised("site-languages", _read_site_languages)


def cache_key() -> str:
    """Where the site's languages are cached: under the current generation."""
    return f"site-languages:{page_cache.generation()}"


def _read_site_languages():
    from bulletin.models import Language

    key = cache_key()
    rows = page_cache.value_read(key)
    if rows is None:
        rows = list(
            Language.objects.order_by("position", "code").values_list(
                "code", "name", "is_live", "newsletter_enabled"
            )
        )
        # Kept as long as a page: one generation's copy does not outlive its pages.
        page_cache.value_store(key, rows, settings.PAGE_CACHE_SECONDS)
    return rows


def codes() -> list[str]:
    """The languages live on the site, in the order of settings.LANGUAGES. Before
    any Language row exists (a fresh database), every configured language."""
    configured = [code for code, _name in settings.LANGUAGES]
    rows = site_languages()
    if not rows:
        return configured
    live = {code for code, _name, is_live, _newsletter in rows if is_live}
    return [code for code in configured if code in live]


def name_in_itself(code: str) -> str:
    """"English", "Беларуская", "Русский": how a speaker of the language names it."""
    name = get_language_info(code)["name_local"]
    return name[:1].upper() + name[1:]


def og_locale(code: str) -> str:
    return OG_LOCALES.get(code, code)


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    current: bool
    # False when this page does not exist in that language and the link leads
    # somewhere else (an untranslated article's issue page).
    available: bool = True


def links(urls: dict[str, str], fallbacks: dict[str, str] | None = None) -> list[LanguageLink]:
    """One link per site language: to `urls[code]` where the page exists, else
    to `fallbacks[code]`, else to that language's home page."""
    current = get_language()
    fallbacks = fallbacks or {}
    result = []
    for code in codes():
        if code in urls:
            url, available = urls[code], True
        else:
            url, available = fallbacks.get(code) or home_url(code), False
        result.append(LanguageLink(code, name_in_itself(code), url, code == current, available))
    return result


def home_url(code: str) -> str:
    with override(code):
        return reverse("bulletin:home")


def translated_paths(path: str) -> dict[str, str]:
    """The same path in every language (for pages outside the reader site, such
    as the newsletter's); where the path does not resolve, each language's home."""
    current = get_language()
    result = {}
    for code in codes():
        url = translate_url(path, code)
        if code != current and url == path:
            url = home_url(code)
        result[code] = url
    return result


def x_default(urls: dict[str, str]) -> str | None:
    """The hreflang="x-default" target: the default language's URL without its
    prefix, which redirects by Accept-Language (as the sitemap does it)."""
    code = settings.LANGUAGE_CODE
    if code not in urls:
        return None
    return urls[code].replace(f"/{code}/", "/", 1)
