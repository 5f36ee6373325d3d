"""The consent text a subscriber agrees to: one place, versioned, translated.

GDPR Art. 7 asks us to show who consented, when, how and to what text. The form
carries `text(CURRENT_VERSION, language)` in each newsletter language and shows
the one of the language chosen in it (its script switches the text with the
choice; without it, the choice starts at the page's language, so the text
shown is the chosen language's). It posts the version and the language it
showed back; the request is recorded with the words in the chosen language
and the language the page showed them in.

Changing the wording: add a new version below and point CURRENT_VERSION at it.
Keep the old one, so a form from a cached page that still shows it is recorded
with the words it really showed.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

TEXTS = {
    "2026-11": _(
        "By clicking “Subscribe” I agree to receive the weekly newsletter by email in "
        "the language I chose. My address is used for nothing else, and I can "
        "unsubscribe at any time with one click from any newsletter email."
    ),
}
CURRENT_VERSION = "2026-11"


def text(version: str = CURRENT_VERSION, language: str | None = None) -> str:
    """The consent text of `version` in `language` (the active one by default)."""
    if language is None:
        return str(TEXTS[version])
    with override(language):
        return str(TEXTS[version])


def known_version(version: str) -> str:
    return version if version in TEXTS else CURRENT_VERSION


@dataclass(frozen=True)
class Consent:
    """What is recorded with a subscription request."""

    source: str  # the page the form was on, or "import: <file> by <user>"
    text: str
    version: str
    ip: str | None = None
    user_agent: str = ""
    shown_language: str = ""  # the language the form showed the text in, if a form did
