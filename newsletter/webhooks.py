"""Providers' tracking webhooks: django-anymail's own views, at
/anymail/<provider>/tracking/, for every provider anymail supports.

anymail checks the provider's signature where the provider signs (Mailgun,
SendGrid, ...), and the HTTP basic auth of ANYMAIL_WEBHOOK_SECRET everywhere;
its normalised events arrive through its `tracking` signal and are recorded by
newsletter/bounces.py. Around anymail's views, `guarded` makes every refusal a
clear answer rather than a 500: no secret configured or wrong credentials 401,
a bad signature 403, a provider not configured 404, a body too big or
malformed 400, the database down 503 (providers retry), and nothing is
recorded in any of those cases.
"""

import base64
import binascii
import functools
import logging

from anymail.exceptions import AnymailError, AnymailWebhookValidationFailure
from anymail.signals import tracking
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, transaction
from django.dispatch import receiver
from django.http import HttpResponse
from django.urls import URLPattern
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt

from newsletter import bounces

log = logging.getLogger(__name__)

Kind = bounces.Kind

# anymail's normalised event types → what they mean for a subscriber. Opens and
# clicks are not recorded (Bulletin does not track readers).
KINDS = {
    "delivered": Kind.DELIVERED,
    "deferred": Kind.SOFT_BOUNCE,
    "bounced": Kind.BOUNCED,
    "rejected": Kind.BOUNCED,
    "complained": Kind.COMPLAINED,
}
# Set on every message sent through an anymail backend (newsletter/sending.py),
# and reported back in the provider's events.
DELIVERY_METADATA = "bulletin_delivery"


@receiver(tracking, dispatch_uid="newsletter.webhooks.on_tracking")
def on_tracking(sender, event, esp_name, **kwargs):
    kind = KINDS.get(event.event_type)
    if kind is None:
        return
    metadata = event.metadata or {}
    try:
        delivery_id = int(metadata.get(DELIVERY_METADATA) or 0) or None
    except (TypeError, ValueError):
        delivery_id = None
    if not (event.recipient or event.message_id or delivery_id):
        raise ValueError(f"a {esp_name} {event.event_type} event that names no message")
    bounces.event_record(bounces.Report(
        kind=kind,
        source=esp_name.lower().replace(" ", "_"),
        event_id=str(event.event_id or ""),
        recipient=str(event.recipient or ""),
        delivery_id=delivery_id,
        message_id=str(event.message_id or ""),
        description=" ".join(
            str(part) for part in (event.reject_reason, event.description, event.mta_response)
            if part
        ),
        occurred_at=event.timestamp,
    ))


def _secrets() -> list[str]:
    secret = settings.ANYMAIL.get("WEBHOOK_SECRET") or []
    return [secret] if isinstance(secret, str) else list(secret)


def _basic_auth(request) -> str:
    kind, _space, value = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if kind.lower() != "basic":
        return ""
    try:
        return base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return ""


def _answer(status: int, text: str) -> HttpResponse:
    response = HttpResponse(text + "\n", status=status, content_type="text/plain; charset=utf-8")
    if status == 401:
        response["WWW-Authenticate"] = 'Basic realm="webhooks"'
    return response


def guarded(view):
    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        secrets = _secrets()
        if not secrets:
            return _answer(401, "Webhooks are off: ANYMAIL_WEBHOOK_SECRET is not set.")
        given = _basic_auth(request)
        if not any(constant_time_compare(given, secret) for secret in secrets):
            return _answer(401, "Missing or wrong credentials.")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.NEWSLETTER_WEBHOOK_MAX_BYTES:
            return _answer(400, "The request body is too large.")
        try:
            # One transaction for the whole body: a malformed event after good
            # ones records none of them, and the provider's retry starts clean.
            with transaction.atomic():
                return view(request, *args, **kwargs)
        except AnymailWebhookValidationFailure as exc:
            log.warning("webhook refused: %s", exc)
            return _answer(403, "The request's signature is not valid.")
        except ImproperlyConfigured as exc:  # e.g. Mailgun without its signing key
            log.error("webhook not configured: %s", exc)
            return _answer(404, "This provider's webhook is not configured.")
        except DatabaseError:
            log.exception("webhook could not be recorded")
            return _answer(503, "Try again later.")
        except (AnymailError, ValueError, KeyError, TypeError, AttributeError, LookupError) as exc:
            log.warning("malformed webhook body: %r", exc)
            return _answer(400, "The request body is not a valid event.")

    return wrapper


def tracking_urlpatterns() -> list[URLPattern]:
    """anymail's tracking webhook URLs (not its inbound ones), each guarded."""
    from anymail.urls import urlpatterns

    return [
        URLPattern(pattern.pattern, guarded(pattern.callback), pattern.default_args,
                   pattern.name)
        for pattern in urlpatterns
        if "tracking" in str(pattern.pattern) or pattern.name == "mandrill_webhook"
    ]
