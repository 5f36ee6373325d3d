"""Absolute links that go into emails. No database access: safe to call per recipient."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import override

from newsletter import tokens


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def _localised(name: str, language: str, **kwargs) -> str:
    with override(language):
        return absolute(reverse(name, kwargs=kwargs))


def confirm_url(subscriber) -> str:
    """The link that confirms the subscriber's outstanding request (its nonce)."""
    token = tokens.make_token(subscriber.pk, tokens.CONFIRM, nonce=subscriber.confirmation_nonce)
    return _localised("newsletter:confirm", subscriber.language, token=token)


def unsubscribe_url(subscriber_id: int, language: str) -> str:
    token = tokens.make_token(subscriber_id, tokens.UNSUBSCRIBE)
    return _localised("newsletter:unsubscribe", language, token=token)


def one_click_url(subscriber_id: int) -> str:
    token = tokens.make_token(subscriber_id, tokens.UNSUBSCRIBE)
    return absolute(reverse("newsletter_one_click", kwargs={"token": token}))


def preferences_url(subscriber_id: int, language: str) -> str:
    token = tokens.make_token(subscriber_id, tokens.PREFERENCES)
    return _localised("newsletter:preferences", language, token=token)


def list_unsubscribe_headers(subscriber_id: int) -> dict[str, str]:
    """RFC 2369 + RFC 8058 headers: a cookie-less POST to the URL unsubscribes."""
    return {
        "List-Unsubscribe": f"<{one_click_url(subscriber_id)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
