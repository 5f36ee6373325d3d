"""Signed tokens in subscribers' links: each has a purpose and a reason to fail.

A token names a subscriber and what it may do (confirm, unsubscribe, manage
preferences); it is signed with SECRET_KEY and a per-purpose salt, so a token
for one purpose or one subscriber never works for another. Reading it needs no
database; finding the subscriber it names does.

The subscriber id in a token is not the plain sequential id (which would show
how long the list is and how fast it grows): it goes through a keyed
permutation of 64-bit numbers (a four-round Feistel network with HMAC-SHA256
rounds, keyed from the same key that signs the token), so neighbouring ids give
unrelated tokens. A confirmation token also carries the nonce of the request
that sent it (newsletter/services.py), so a later request makes it stale.

Tokens made before this format (plain id, salt without ".v2") are still read:
unsubscribe links in emails already sent must keep working.
"""

import functools
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

CONFIRM = "confirm"
UNSUBSCRIBE = "unsubscribe"
PREFERENCES = "preferences"

# Confirmation links expire after a week; unsubscribe and preference links in
# old emails keep working (a subscriber must always be able to leave).
MAX_AGE = {CONFIRM: 7 * 24 * 3600, UNSUBSCRIBE: None, PREFERENCES: None}

_HALF = 32
_HALF_MASK = (1 << _HALF) - 1
_ROUNDS = 4
_NONCE_SEPARATOR = "."


class TokenError(Exception):
    reason = "invalid"


class TokenExpired(TokenError):
    reason = "expired"


class TokenInvalid(TokenError):
    reason = "invalid"


@dataclass(frozen=True)
class Link:
    """What a valid token says."""

    subscriber_id: int
    nonce: str = ""


@functools.lru_cache(maxsize=8)
def _round_keys(secret: str) -> tuple:
    """One keyed HMAC per round, copied per use (cheaper than re-keying)."""
    return tuple(
        hmac.new(
            hmac.new(secret.encode(), f"newsletter.tokens.id.{r}".encode(), hashlib.sha256)
            .digest(),
            digestmod=hashlib.sha256,
        )
        for r in range(_ROUNDS)
    )


def _round(key, half: int) -> int:
    mac = key.copy()
    mac.update(half.to_bytes(4, "big"))
    return int.from_bytes(mac.digest()[:4], "big")


def _mask(subscriber_id: int, secret: str) -> int:
    left, right = subscriber_id >> _HALF, subscriber_id & _HALF_MASK
    for key in _round_keys(secret):
        left, right = right, left ^ _round(key, right)
    return (left << _HALF) | right


def _unmask(value: int, secret: str) -> int:
    left, right = value >> _HALF, value & _HALF_MASK
    for key in reversed(_round_keys(secret)):
        left, right = right ^ _round(key, left), left
    return (left << _HALF) | right


def _signer(purpose: str, key: str) -> signing.TimestampSigner:
    return signing.TimestampSigner(key=key, salt=f"newsletter.{purpose}.v2", fallback_keys=[])


def make_token(subscriber_id: int, purpose: str, nonce: str = "") -> str:
    if not 0 < subscriber_id < 1 << (2 * _HALF):
        raise ValueError("a subscriber id is a positive 64-bit number")
    payload = signing.b62_encode(_mask(subscriber_id, settings.SECRET_KEY))
    if nonce:
        payload += _NONCE_SEPARATOR + nonce
    return _signer(purpose, settings.SECRET_KEY).sign(payload)


def read_link(token: str, purpose: str) -> Link:
    """What `token` says, or TokenExpired / TokenInvalid."""
    token = token or ""
    try:
        # The key that verifies the signature is the one that masked the id
        # (SECRET_KEY, or an old one from SECRET_KEY_FALLBACKS after a rotation).
        for key in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS):
            try:
                payload = _signer(purpose, key).unsign(token, max_age=MAX_AGE[purpose])
            except signing.SignatureExpired:
                raise
            except signing.BadSignature:
                continue
            masked, _sep, nonce = payload.partition(_NONCE_SEPARATOR)
            return Link(_unmask(signing.b62_decode(masked), key), nonce)
        legacy = signing.TimestampSigner(salt=f"newsletter.{purpose}")
        return Link(signing.b62_decode(legacy.unsign(token, max_age=MAX_AGE[purpose])))
    except signing.SignatureExpired:
        raise TokenExpired from None
    except (signing.BadSignature, ValueError, TypeError, OverflowError):
        raise TokenInvalid from None


def read_token(token: str, purpose: str) -> int:
    """The subscriber id in `token`, or TokenExpired / TokenInvalid."""
    return read_link(token, purpose).subscriber_id
