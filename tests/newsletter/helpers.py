"""Helpers for the newsletter tests: subscribing the way the box does."""

from django.urls import reverse
from django.utils.translation import override

from newsletter import consent
from newsletter.models import Subscriber


def subscribe_url(language="en"):
    with override(language):
        return reverse("newsletter:subscribe")


def box_data(email, language="en", **extra):
    return {
        "email": email,
        "language": language,
        "website": "",
        "consent_version": consent.CURRENT_VERSION,
        "source": f"/{language}/newsletter/subscribe/",
        **extra,
    }


def post_subscribe(client, email, language="en", page_language=None, **extra):
    """POST what the box sends; UPPER_CASE keywords are request META (REMOTE_ADDR...)."""
    meta = {k: v for k, v in extra.items() if k.isupper()}
    fields = {k: v for k, v in extra.items() if not k.isupper()}
    return client.post(
        subscribe_url(page_language or language), box_data(email, language, **fields),
        **{"HTTP_USER_AGENT": "Mozilla/5.0 (test)", **meta},
    )


def subscriber(email) -> Subscriber:
    return Subscriber.objects.with_email(email).get()


def ensure_languages():
    """The Language rows the data migration creates. Tests on transactional_db
    (live server, threads) need this: a transactional test before them flushes
    the database, migration data included."""
    from bulletin.models import Language

    for position, (code, name) in enumerate(
        [("en", "English"), ("be", "Беларуская"), ("ru", "Русский")]
    ):
        Language.objects.get_or_create(code=code, defaults={"name": name, "position": position})


def confirm_latest(subscriber_id):
    """Confirm as the person does: with the link of the latest email they were sent."""
    from newsletter import services

    nonce = Subscriber.objects.values_list("confirmation_nonce", flat=True).get(pk=subscriber_id)
    return services.subscriber_confirm(subscriber_id=subscriber_id, nonce=nonce)
