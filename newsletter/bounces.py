"""What happens after the send: every bounce, complaint and delivery report,
whoever reports it (a provider's webhook, newsletter/webhooks.py; a DSN or an
abuse report by email, newsletter/reports.py), is recorded and applied here.

Effects:
- bounced (hard bounce, or a provider's rejection): the subscriber becomes
  `bounced` and gets no more newsletters.
- complained (a spam report): the subscriber becomes `unsubscribed`, with the
  complaint's time recorded.
- soft bounce (deferred): counted once per send; NEWSLETTER_SOFT_BOUNCE_LIMIT
  sends in a row make the subscriber `bounced`. A delivery report of their
  latest send starts the count again.
- delivered: recorded on the Delivery.

Guarantees: an event is recorded once per (source, event_id), so the same
report twice changes nothing the second time. Events only ever suppress: one
that arrives late or out of order never brings a bounced or unsubscribed
subscriber back (only confirming a new subscription does,
newsletter/services.py). An event for a message nobody can match is recorded
too, and changes nothing.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from newsletter.models import Delivery, DeliveryEvent, Subscriber

log = logging.getLogger(__name__)

Kind = DeliveryEvent.Kind
Status = Subscriber.Status

# Statuses that still receive mail: the only ones an event can suppress.
RECEIVING = (Status.PENDING, Status.CONFIRMED)


@dataclass(frozen=True)
class Report:
    """One event about one recipient, as a reporter understood it."""

    kind: str
    source: str
    event_id: str = ""
    recipient: str = ""
    delivery_id: int | None = None
    message_id: str = ""
    description: str = ""
    occurred_at: object = None

    def key(self) -> str:
        """The event id, or for reporters without one a digest of what the event says."""
        if self.event_id:
            return self.event_id[:200]
        digest = hashlib.sha256(
            "\x00".join([self.kind, self.recipient.lower(), str(self.delivery_id or ""),
                         self.message_id, str(self.occurred_at or "")]).encode()
        )
        return "sha256:" + digest.hexdigest()


def event_record(report: Report) -> DeliveryEvent | None:
    """Record `report` and apply its effect; None when it was recorded before.

    Atomic: the event row and its effect commit together, so a crash between
    them cannot leave an event recorded but not applied.
    """
    now = timezone.now()
    with transaction.atomic():
        delivery = _match_delivery(report)
        subscriber_id = delivery.subscriber_id if delivery else _match_subscriber(report)
        try:
            with transaction.atomic():
                event = DeliveryEvent.objects.create(
                    kind=report.kind,
                    source=report.source[:40],
                    event_id=report.key(),
                    delivery=delivery,
                    subscriber_id=subscriber_id,
                    recipient="" if subscriber_id else report.recipient[:254],
                    description=report.description[:2000],
                    occurred_at=report.occurred_at or now,
                    received_at=now,
                )
        except IntegrityError:
            log.info("%s event %s was recorded before; ignored", report.source, report.key())
            return None
        if subscriber_id is None:
            event.effect = "no matching subscriber"
            log.warning("%s %s event for an unknown message recorded", report.source, report.kind)
        else:
            event.effect = _apply(event, delivery, subscriber_id, now)
        DeliveryEvent.objects.filter(pk=event.pk).update(effect=event.effect)
    return event


def _match_delivery(report: Report) -> Delivery | None:
    deliveries = Delivery.objects.only("pk", "subscriber_id", "dispatch_id")
    if report.delivery_id:
        found = deliveries.filter(pk=report.delivery_id).first()
        if found:
            return found
    message_id = report.message_id.strip().strip("<>")
    if message_id:
        found = deliveries.filter(message_id=message_id).first()
        if found:
            return found
    if report.recipient:
        # The address's latest send: what a report naming only the address is about.
        subscriber_id = _match_subscriber(report)
        if subscriber_id:
            return deliveries.filter(
                subscriber_id=subscriber_id, status=Delivery.Status.SENT
            ).order_by("-sent_at", "-pk").first()
    return None


def _match_subscriber(report: Report) -> int | None:
    if not report.recipient:
        return None
    return Subscriber.objects.with_email(report.recipient).values_list("pk", flat=True).first()


def _apply(event: DeliveryEvent, delivery, subscriber_id: int, now) -> str:
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber_id)
    if event.kind == Kind.DELIVERED:
        if delivery:
            Delivery.objects.filter(pk=delivery.pk, delivered_at__isnull=True).update(
                delivered_at=event.occurred_at
            )
        if subscriber.soft_bounces and _is_latest(delivery, subscriber_id):
            Subscriber.objects.filter(pk=subscriber_id).update(soft_bounces=0, updated_at=now)
        return "delivered"
    if event.kind == Kind.COMPLAINED:
        values = {"complained_at": subscriber.complained_at or now, "updated_at": now}
        if subscriber.status in RECEIVING:
            values.update(status=Status.UNSUBSCRIBED, unsubscribed_at=now)
        Subscriber.objects.filter(pk=subscriber_id).update(**values)
        return "unsubscribed (complaint)" if subscriber.status in RECEIVING else "complaint noted"
    if event.kind == Kind.BOUNCED:
        return _bounce(subscriber, event.description or "bounced", now)
    # A soft bounce: counted once per send.
    if delivery is not None and DeliveryEvent.objects.filter(
        delivery=delivery, kind=Kind.SOFT_BOUNCE
    ).exclude(pk=event.pk).exists():
        return "soft bounce (this send was counted already)"
    count = subscriber.soft_bounces + 1
    Subscriber.objects.filter(pk=subscriber_id).update(soft_bounces=count, updated_at=now)
    limit = settings.NEWSLETTER_SOFT_BOUNCE_LIMIT
    if count >= limit:
        return _bounce(subscriber, f"{count} soft bounces in a row; last: {event.description}", now)
    return f"soft bounce {count} of {limit}"


def _bounce(subscriber, reason: str, now) -> str:
    if subscriber.status not in RECEIVING:
        return f"already {subscriber.status}"
    Subscriber.objects.filter(pk=subscriber.pk).update(
        status=Status.BOUNCED, bounced_at=now, bounce_reason=reason[:2000], updated_at=now
    )
    log.info("subscriber %s bounced: %s", subscriber.pk, reason[:200])
    return "bounced"


def _is_latest(delivery, subscriber_id) -> bool:
    if delivery is None:
        return True
    return not Delivery.objects.filter(subscriber_id=subscriber_id, pk__gt=delivery.pk).exists()
