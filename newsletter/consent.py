"""The consent text a subscriber agrees to: one place, versioned, translated.

GDPR Art. 7 asks us to show who consented, when, how and to what text. The form
shows `text(CURRENT_VERSION)` and posts the version back; the subscriber's row
keeps the exact words shown, in the language they were shown in.

Changing the wording: add a new version below and point CURRENT_VERSION at it.
Keep the old one, so a form from a cached page that still shows it is recorded
with the words it really showed.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

TEXTS = {
    "2026-11": _(
        "By clicking “Subscribe” I agree to receive the weekly newsletter by email in "
        "the language I chose. My address is used for nothing else, and I can "
        "unsubscribe at any time with one click from any newsletter email."
    ),
}
CURRENT_VERSION = "2026-11"


def text(version: str = CURRENT_VERSION) -> str:
    """The consent text of `version` in the active language."""
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
