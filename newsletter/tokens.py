"""Signed tokens in subscribers' links: each has a purpose and a reason to fail.

A token names a subscriber and what it may do (confirm, unsubscribe, manage
preferences); it is signed with SECRET_KEY and a per-purpose salt, so a token
for one purpose or one subscriber never works for another. Reading it needs no
database; finding the subscriber it names does.
"""

from django.core import signing

CONFIRM = "confirm"
UNSUBSCRIBE = "unsubscribe"
PREFERENCES = "preferences"

# Confirmation links expire after a week; unsubscribe and preference links in
# old emails keep working (a subscriber must always be able to leave).
MAX_AGE = {CONFIRM: 7 * 24 * 3600, UNSUBSCRIBE: None, PREFERENCES: None}


class TokenError(Exception):
    reason = "invalid"


class TokenExpired(TokenError):
    reason = "expired"


class TokenInvalid(TokenError):
    reason = "invalid"


def _signer(purpose: str) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=f"newsletter.{purpose}")


def make_token(subscriber_id: int, purpose: str) -> str:
    return _signer(purpose).sign(signing.b62_encode(subscriber_id))


def read_token(token: str, purpose: str) -> int:
    """The subscriber id in `token`, or TokenExpired / TokenInvalid."""
    try:
        value = _signer(purpose).unsign(token or "", max_age=MAX_AGE[purpose])
        return signing.b62_decode(value)
    except signing.SignatureExpired:
        raise TokenExpired from None
    except (signing.BadSignature, ValueError, TypeError):
        raise TokenInvalid from None
