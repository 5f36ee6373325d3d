"""Absolute links that go into emails. No database access: safe to call per recipient."""

from django.urls import reverse
from django.utils.translation import override

from bulletin.models import absolute_url
from newsletter import tokens


def _localised(name: str, language: str, **kwargs) -> str:
    with override(language):
        return absolute_url(reverse(name, kwargs=kwargs))


def confirm_url(subscriber) -> str:
    """The link that confirms the subscriber's outstanding request (its nonce)."""
    token = tokens.make_token(subscriber.pk, tokens.CONFIRM, nonce=subscriber.confirmation_nonce)
    return _localised("newsletter:confirm", subscriber.language, token=token)


def unsubscribe_url(subscriber_id: int, language: str) -> str:
    token = tokens.make_token(subscriber_id, tokens.UNSUBSCRIBE)
    return _localised("newsletter:unsubscribe", language, token=token)


def one_click_url(subscriber_id: int) -> str:
    token = tokens.make_token(subscriber_id, tokens.UNSUBSCRIBE)
    return absolute_url(reverse("newsletter_one_click", kwargs={"token": token}))


def preferences_url(subscriber_id: int, language: str) -> str:
    token = tokens.make_token(subscriber_id, tokens.PREFERENCES)
    return _localised("newsletter:preferences", language, token=token)


def list_headers(one_click: str, list_id: str = "") -> dict[str, str]:
    """The List-* headers of every email, built here only: RFC 2919 List-Id (the
    issue emails), RFC 2369 List-Unsubscribe and RFC 8058 List-Unsubscribe-Post,
    so that a cookie-less POST to `one_click` unsubscribes."""
    headers = {"List-Id": list_id} if list_id else {}
    headers["List-Unsubscribe"] = f"<{one_click}>"
    headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


def list_unsubscribe_headers(subscriber_id: int) -> dict[str, str]:
    """The List-* headers of a transactional email to a subscriber."""
    return list_headers(one_click_url(subscriber_id))
