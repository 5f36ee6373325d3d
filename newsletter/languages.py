"""Which languages the newsletter goes out in (bulletin.Language.newsletter_enabled)."""

from bulletin.languages import site_languages


def newsletter_languages():
    """(code, name in itself) of each language with a newsletter, in site order.
    Cached with the site's languages: the subscribe box on every (even cached)
    page needs this without a query."""
    return [
        (code, name) for code, name, _live, newsletter in site_languages() if newsletter
    ]


def newsletter_language_codes() -> list[str]:
    """The codes of newsletter_languages(), in site order."""
    return [code for code, _name in newsletter_languages()]
