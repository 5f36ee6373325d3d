"""VERP: each newsletter's envelope sender (Return-Path) names its delivery.

With NEWSLETTER_BOUNCE_DOMAIN set, the message to delivery 1234 is sent with
MAIL FROM:<bounces+ya-5f0c2e9a1b7d4c3e@bounce.example>: a bounce for it comes
back to that address, whatever the remote server's report looks like. The token
is the delivery id (base 36) and an HMAC of it under SECRET_KEY, so it cannot be
forged or guessed; it is lower-case, because some servers lower-case addresses.
"""

import re

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "newsletter.verp"
SIGNATURE_LENGTH = 16
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


class ForgedToken(Exception):
    """A VERP address of ours whose signature does not verify."""


def _base36(number: int) -> str:
    digits = ""
    while True:
        number, rest = divmod(number, 36)
        digits = _DIGITS[rest] + digits
        if not number:
            return digits


def _signature(value: str, secret=None) -> str:
    return salted_hmac(SALT, value, secret=secret, algorithm="sha256").hexdigest()[
        :SIGNATURE_LENGTH
    ]


def enabled() -> bool:
    return bool(settings.NEWSLETTER_BOUNCE_DOMAIN)


def return_path(delivery_id: int) -> str | None:
    """The envelope sender for this delivery, or None without a bounce domain."""
    if not enabled():
        return None
    token = _base36(delivery_id)
    return (f"{settings.NEWSLETTER_BOUNCE_LOCAL_PART}+{token}-{_signature(token)}"
            f"@{settings.NEWSLETTER_BOUNCE_DOMAIN}")


def _address_re():
    local = re.escape(settings.NEWSLETTER_BOUNCE_LOCAL_PART.lower())
    return re.compile(rf"(?<![\w.+-]){local}\+([0-9a-z]+)-([0-9a-f]+)@", re.IGNORECASE)


def find_delivery(text: str) -> int | None:
    """The delivery named by a VERP address of ours anywhere in `text` (a header's
    value); None when there is none. Raises ForgedToken for one that does not verify."""
    if not text:
        return None
    match = _address_re().search(text)
    if match is None:
        return None
    token, signature = match.group(1).lower(), match.group(2).lower()
    secrets = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    if not any(constant_time_compare(signature, _signature(token, secret)) for secret in secrets):
        raise ForgedToken(match.group(0))
    return int(token, 36)
