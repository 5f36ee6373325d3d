"""The site's languages as a reader meets them: the language switch, hreflang
alternates and OpenGraph locales. No database access."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.translation import get_language, get_language_info, override

# OpenGraph wants a territory with the language.
OG_LOCALES = {"en": "en_GB", "be": "be_BY", "ru": "ru_RU"}


def codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


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
