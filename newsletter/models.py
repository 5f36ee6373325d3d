"""Subscribers, and the weekly dispatch of an issue to them."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bulletin.models import overdue_before


def normalise_email(address: str) -> str:
    """Trim, and lower-case the domain (the local part is the mailbox owner's)."""
    address = (address or "").strip()
    local, at, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}" if at else address


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=Subscriber.Status.CONFIRMED)

    def for_language(self, language: str):
        return self.filter(language=language)

    def with_email(self, address: str):
        # LOWER(email) = ..., the expression the unique index is built on, so the
        # lookup uses the index (iexact compiles to UPPER(...) and would not).
        return self.alias(email_lower=Lower("email")).filter(
            email_lower=normalise_email(address).lower()
        )


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        BOUNCED = "bounced", _("Bounced")

    email = models.EmailField(_("email"), max_length=254)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    # Consent (GDPR Art. 7): when, where, from which address and client, and the
    # exact text the person agreed to, with its version.
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    consent_source = models.CharField(
        _("consent source"), max_length=300, blank=True,
        help_text=_("The page or import the consent came from."),
    )
    consent_ip = models.GenericIPAddressField(_("consent IP address"), null=True, blank=True)
    consent_user_agent = models.CharField(_("consent user agent"), max_length=500, blank=True)
    consent_text = models.TextField(_("consent text shown"), blank=True)
    consent_version = models.CharField(_("consent text version"), max_length=32, blank=True)
    confirmation_sent_at = models.DateTimeField(
        _("confirmation email sent"), null=True, blank=True
    )
    # The nonce of the subscription request whose confirmation link is the
    # valid one (ConsentRecord.nonce), "" when none is outstanding. A new request
    # replaces it, confirming or unsubscribing clears it: older links fail.
    confirmation_nonce = models.CharField(max_length=32, blank=True, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("bounced"), null=True, blank=True)
    bounce_reason = models.TextField(_("bounce reason"), blank=True)
    # Reported as spam by the subscriber (a provider's complaint or an ARF report).
    complained_at = models.DateTimeField(_("complained"), null=True, blank=True)
    # Sends in a row that were deferred or soft-bounced; NEWSLETTER_SOFT_BOUNCE_LIMIT
    # of them make the subscriber bounced (newsletter/bounces.py).
    soft_bounces = models.PositiveSmallIntegerField(_("soft bounces in a row"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="subscriber_email_unique_ci",
                violation_error_message=_("This address is already on the list."),
            ),
        ]
        indexes = [models.Index(fields=["language", "status"], name="subscriber_lang_status")]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)


class ConsentRecord(models.Model):
    """One request to subscribe, as it was made: the consent history (GDPR Art. 7).

    A request never overwrites the subscriber's row or an earlier record: it
    is added here, and only when its confirmation link is used does it become
    the subscriber's consent (Subscriber.consent_*, language), with
    `confirmed_at` set. Records are kept until the subscriber is erased.
    """

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="consents",
        verbose_name=_("subscriber"),
    )
    nonce = models.CharField(max_length=32, editable=False)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    source = models.CharField(_("consent source"), max_length=300, blank=True)
    ip = models.GenericIPAddressField(_("consent IP address"), null=True, blank=True)
    user_agent = models.CharField(_("consent user agent"), max_length=500, blank=True)
    text = models.TextField(_("consent text shown"), blank=True)
    version = models.CharField(_("consent text version"), max_length=32, blank=True)
    # The text is in `language`, the one chosen; the form showed it in this one
    # (the same, unless a browser without JavaScript changed the choice).
    shown_language = models.CharField(
        _("language the form showed"), max_length=8, choices=settings.LANGUAGES, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent history")
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "nonce"], name="consent_nonce_unique"),
        ]

    def __str__(self):
        return f"{self.subscriber_id} · {self.requested_at:%Y-%m-%d %H:%M}"


class Dispatch(models.Model):
    """One issue going out in one language. The Delivery rows are its ledger."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        PAUSED = "paused", _("Paused")
        CANCELLED = "cancelled", _("Cancelled")

    issue = models.ForeignKey(
        "bulletin.Issue", on_delete=models.PROTECT, related_name="dispatches",
        verbose_name=_("issue"),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED
    )
    scheduled_for = models.DateTimeField(_("scheduled for"))
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Last time a batch claimed work: the sweeper restarts a dispatch that went quiet.
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    note = models.TextField(_("note"), blank=True, help_text=_("Why it is paused, and so on."))
    # The email, rendered once when sending starts, with placeholders for the
    # per-recipient parts (newsletter/sending.py fills them in).
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body_text = models.TextField(blank=True, editable=False)
    body_html = models.TextField(blank=True, editable=False)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    # When an editor last resumed it: the failure threshold (dispatch/guard.py)
    # counts only what was attempted since.
    resumed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The ledger's counts, stored when it settles (finished or cancelled) so the
    # lists do not count deliveries, and kept when old rows are deleted
    # (docs/SENDING.md, retention). Events arriving later add to them.
    # None while the ledger may still change: then reports.py counts it live.
    counted_at = models.DateTimeField(_("counts stored"), null=True, blank=True, editable=False)
    pending_count = models.PositiveIntegerField(_("pending"), default=0, editable=False)
    sent_count = models.PositiveIntegerField(_("sent"), default=0, editable=False)
    failed_count = models.PositiveIntegerField(_("failed"), default=0, editable=False)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0, editable=False)
    delivered_count = models.PositiveIntegerField(_("delivered"), default=0, editable=False)
    bounced_count = models.PositiveIntegerField(_("bounced"), default=0, editable=False)
    complained_count = models.PositiveIntegerField(_("complained"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-scheduled_for", "language"]
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        constraints = [
            models.UniqueConstraint(fields=["issue", "language"], name="dispatch_one_per_language"),
        ]
        permissions = [("send_newsletter", _("Can send, pause, resume and cancel the newsletter"))]

    def __str__(self):
        return f"{self.issue} · {self.language}"

    @property
    def is_overdue(self) -> bool:
        """Still scheduled minutes after its time: the scheduler is not running."""
        return self.status == self.Status.SCHEDULED and self.scheduled_for < overdue_before()


class Delivery(models.Model):
    """One subscriber's copy of one dispatch: the per-recipient ledger.

    A row is claimed (pending → sending) with a conditional update before its
    message is handed to SMTP, and marked sent as soon as the server accepts
    it; that is what makes redelivered tasks and restarted workers harmless.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The worker (Celery node name) that claimed it: a restarted worker puts back
    # what its previous incarnation held (newsletter/workers.py).
    claimed_by = models.CharField(
        max_length=200, blank=True, default="", db_default="", editable=False
    )
    next_attempt_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=200, blank=True)
    # When the receiving side reported it delivered (a provider's webhook).
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["dispatch", "subscriber"], name="delivery_once_per_subscriber"
            ),
        ]
        indexes = [
            models.Index(fields=["dispatch", "status"], name="delivery_dispatch_status"),
            models.Index(fields=["message_id"], name="delivery_message_id"),
        ]

    def __str__(self):
        return f"{self.dispatch} → {self.subscriber_id}"


class DeliveryEvent(models.Model):
    """What happened to a message after it left: a provider's webhook event, a
    delivery status notification (bounce) or an abuse report (complaint).

    Recorded once per (source, event_id), so an event reported twice changes
    nothing the second time; newsletter/bounces.py applies its effect.
    """

    class Kind(models.TextChoices):
        DELIVERED = "delivered", _("Delivered")
        SOFT_BOUNCE = "soft_bounce", _("Deferred or soft bounce")
        BOUNCED = "bounced", _("Bounced")
        COMPLAINED = "complained", _("Complained (spam report)")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    source = models.CharField(
        _("source"), max_length=40, help_text=_("The provider, or dsn/arf for reports by email.")
    )
    event_id = models.CharField(_("event id"), max_length=200, blank=True)
    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, null=True, blank=True, related_name="events",
        verbose_name=_("delivery"),
    )
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, null=True, blank=True, related_name="events",
        verbose_name=_("subscriber"),
    )
    # Kept only while no subscriber matched (an erased subscriber's events go with them).
    recipient = models.CharField(_("recipient"), max_length=254, blank=True)
    description = models.TextField(_("description"), blank=True)
    effect = models.CharField(_("effect"), max_length=200, blank=True)
    occurred_at = models.DateTimeField(_("occurred"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("delivery event")
        verbose_name_plural = _("delivery events")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "event_id"], condition=~models.Q(event_id=""),
                name="delivery_event_once",
            ),
        ]
        indexes = [models.Index(fields=["subscriber", "kind"], name="delivery_event_subscriber")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.source}"


class Suppression(Subscriber):
    """Subscribers no newsletter goes to any more (bounced, complained or
    unsubscribed): the editors' suppression list. A proxy, so the list is the
    subscribers' own state, never a second copy that could disagree."""

    class Meta:
        proxy = True
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppression list")


class Heartbeat(models.Model):
    """The last sign of life of a Celery worker (by node name) or of beat, for
    /healthz and the admin (newsletter/workers.py)."""

    name = models.CharField(max_length=200, unique=True)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} (seen {self.seen_at:%Y-%m-%d %H:%M:%S})"


class OutboxTask(models.Model):
    """A task that could not be queued because the broker was unreachable,
    kept until the broker is back (newsletter/dispatch/queue.py drains it)."""

    task = models.CharField(max_length=200)  # a task's name in newsletter.tasks
    args = models.JSONField(default=list)
    not_before = models.DateTimeField(null=True, blank=True)  # a countdown, as a time
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.task}{tuple(self.args)}"
