"""Which languages the newsletter goes out in (bulletin.Language.newsletter_enabled)."""

from bulletin.models import Language


def newsletter_languages():
    """(code, name in itself) of each language with a newsletter, in site order."""
    return list(
        Language.objects.filter(newsletter_enabled=True)
        .order_by("position", "code")
        .values_list("code", "name")
    )


def newsletter_language_codes() -> set[str]:
    return {code for code, _name in newsletter_languages()}
