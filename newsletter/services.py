"""Every write of the subscription side: subscribe, confirm, unsubscribe,
change_language, erase, import_csv, and sending the confirmation emails.

Each service is keyword-only and atomic, and says what it guarantees. Views,
the admin and the Celery tasks call these; nothing else writes a Subscriber.
Emails are sent only after the transaction commits, through a Celery task
queued by newsletter.dispatch.queue (in-process in the embedded default and the tests).
"""

import datetime
import logging
import os
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from newsletter import consent as consent_texts
from newsletter import csvio, emails, links
from newsletter.consent import Consent
from newsletter.dispatch import queue
from newsletter.languages import newsletter_language_codes
from newsletter.models import Subscriber

log = logging.getLogger(__name__)

Status = Subscriber.Status

# Chunk size for "which of these addresses are already on the list" queries:
# below SQLite's oldest limit of 999 parameters.
EXISTING_CHUNK = 900
INSERT_BATCH = 1000


class SubscriptionError(Exception):
    """Bad input to a service; the message is for the person who gave it."""


class SubscriberNotFound(Exception):
    """The subscriber a (valid) link names no longer exists (erased)."""


class LinkSuperseded(Exception):
    """A confirmation link for a subscriber who has since left (unsubscribed or
    bounced): only a new subscription request, with a new link, brings them back."""


def clean_language(language: str) -> str:
    if language not in newsletter_language_codes():
        raise SubscriptionError(_("Choose one of the newsletter's languages."))
    return language


def _consent_fields(consent: Consent, now) -> dict:
    return {
        "consent_at": now,
        "consent_source": consent.source[:300],
        "consent_ip": consent.ip or None,
        "consent_user_agent": consent.user_agent[:500],
        "consent_text": consent.text,
        "consent_version": consent.version[:32],
    }


# --- subscribing ---------------------------------------------------------------


@dataclass(frozen=True)
class SubscribeResult:
    subscriber_id: int
    created: bool
    email_queued: bool


def subscribe(*, email: str, language: str, consent: Consent) -> SubscribeResult:
    """Ask `email` to confirm a subscription to the newsletter in `language`.

    - New address: a `pending` row with this consent; a confirmation email.
    - Pending, unsubscribed or bounced: back to `pending` with this request's
      language and consent, and a new confirmation email. The old
      unsubscribed/bounced stamps stay until the person confirms (`confirm`
      clears them), so nothing is sent to them before that.
    - Confirmed: nothing changes; an "already subscribed" note with their
      preferences link is sent instead.

    Guarantees: one row per address however many requests race (the unique
    index decides; the loser of the race reads the winner's row); at most one
    email per address per NEWSLETTER_CONFIRMATION_INTERVAL seconds (the right to
    send is claimed with a conditional UPDATE of `confirmation_sent_at`); the
    email goes out only after commit. The result is for tests and logs: callers
    that answer the public must answer the same whatever it says.
    Raises SubscriptionError for a malformed address or a language without a newsletter.
    """
    try:
        address = csvio.clean_email(email)
    except ValidationError as exc:
        raise SubscriptionError(exc.messages[0]) from None
    language = clean_language(language)
    now = timezone.now()
    with transaction.atomic():
        subscriber, created = _get_or_create_locked(address, language, consent, now)
        if not created and subscriber.status != Status.CONFIRMED:
            Subscriber.objects.filter(pk=subscriber.pk).update(
                status=Status.PENDING, language=language, **_consent_fields(consent, now)
            )
        queued = _claim_subscription_email(subscriber.pk, now)
        if queued:
            queue.subscription_emails_queue([subscriber.pk])
    return SubscribeResult(subscriber.pk, created, queued)


def _get_or_create_locked(address, language, consent, now):
    existing = Subscriber.objects.select_for_update().with_email(address).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():  # a savepoint: the race's loser rolls back only this
            return Subscriber.objects.create(
                email=address, language=language, status=Status.PENDING,
                created_at=now, **_consent_fields(consent, now),
            ), True
    except IntegrityError:
        # Another request inserted the same address between our SELECT and INSERT
        # (the INSERT waited for it to commit): use its row.
        return Subscriber.objects.select_for_update().with_email(address).get(), False


def _claim_subscription_email(subscriber_id: int, now) -> bool:
    """True for exactly one caller per interval: the one whose UPDATE matched."""
    cutoff = now - datetime.timedelta(seconds=settings.NEWSLETTER_CONFIRMATION_INTERVAL)
    return bool(
        Subscriber.objects.filter(pk=subscriber_id)
        .filter(Q(confirmation_sent_at__isnull=True) | Q(confirmation_sent_at__lt=cutoff))
        .update(confirmation_sent_at=now)
    )


def send_subscription_emails(*, subscriber_ids: list[int]) -> int:
    """Send each pending subscriber their confirmation link, and each confirmed one
    an "already subscribed" note with their preferences link, over one SMTP
    connection. Called by the Celery task after the claim was made.

    A failed send releases that subscriber's claim (confirmation_sent_at = NULL),
    so their next request can try again; the others still go out. Unsubscribed
    and bounced subscribers (the status changed since the claim) get nothing.
    Returns the number sent. A broker redelivery may send a batch twice; for a
    confirmation email that is harmless, unlike a missing one.
    """
    subscribers = list(Subscriber.objects.filter(pk__in=subscriber_ids))
    sent = 0
    try:
        connection = get_connection()
        connection.open()
    except Exception:
        Subscriber.objects.filter(pk__in=subscriber_ids).update(confirmation_sent_at=None)
        raise
    try:
        for subscriber in subscribers:
            try:
                if _send_one(subscriber, connection):
                    sent += 1
            except Exception:
                log.exception("subscription email to subscriber %s failed", subscriber.pk)
                Subscriber.objects.filter(pk=subscriber.pk).update(confirmation_sent_at=None)
    finally:
        connection.close()
    return sent


def _send_one(subscriber, connection) -> bool:
    if subscriber.status == Status.PENDING:
        # No List-Unsubscribe headers: the person is not subscribed (yet).
        emails.send_to_subscriber(
            subscriber, "confirm",
            {"confirm_url": links.confirm_url(subscriber), "consent_text": _consent_in(subscriber)},
            list_headers=False, connection=connection,
        )
        return True
    if subscriber.status == Status.CONFIRMED:
        emails.send_to_subscriber(
            subscriber, "already_subscribed",
            {
                "preferences_url": links.preferences_url(subscriber.pk, subscriber.language),
                "unsubscribe_url": links.unsubscribe_url(subscriber.pk, subscriber.language),
            },
            connection=connection,
        )
        return True
    return False


def _consent_in(subscriber) -> str:
    """The consent text to show or record in the subscriber's language: the
    words of the version they were shown, in that language (a row recorded
    from a page in another language included); a text we do not know (an
    import's own statement) as it was recorded."""
    version = subscriber.consent_version
    if subscriber.consent_text and version not in consent_texts.TEXTS:
        return subscriber.consent_text
    with override(subscriber.language):
        return consent_texts.text(consent_texts.known_version(version))


# --- confirming, leaving, changing ----------------------------------------------


def _locked(subscriber_id: int) -> Subscriber:
    try:
        return Subscriber.objects.select_for_update().get(pk=subscriber_id)
    except Subscriber.DoesNotExist:
        raise SubscriberNotFound from None


def confirm(*, subscriber_id: int) -> Subscriber:
    """Confirm a pending subscription.

    Idempotent: confirming a confirmed subscriber changes nothing. Confirming
    clears any earlier unsubscribed/bounced state explicitly (a returning
    subscriber must not inherit an old suppression), and records the consent:
    the one given on the form, or for an imported address, which gave none,
    the text of the confirmation email they just acted on.
    Raises SubscriberNotFound, or LinkSuperseded for someone who has left since
    the link was sent.
    """
    now = timezone.now()
    with transaction.atomic():
        subscriber = _locked(subscriber_id)
        if subscriber.status == Status.CONFIRMED:
            return subscriber
        if subscriber.status != Status.PENDING:
            raise LinkSuperseded
        values = {
            "status": Status.CONFIRMED, "confirmed_at": now,
            "unsubscribed_at": None, "bounced_at": None, "bounce_reason": "",
            "complained_at": None, "soft_bounces": 0,
        }
        if not subscriber.consent_text:
            values.update(
                consent_at=now,
                consent_text=_consent_in(subscriber),
                consent_version=consent_texts.CURRENT_VERSION,
                consent_source=(
                    f"{subscriber.consent_source} (confirmed by email)"[:300]
                    if subscriber.consent_source else "confirmation email"
                ),
            )
        Subscriber.objects.filter(pk=subscriber.pk).update(updated_at=now, **values)
        queue.welcome_queue(subscriber.pk)
    subscriber.refresh_from_db()
    return subscriber


def send_welcome(*, subscriber_id: int) -> bool:
    """The welcome email to a subscriber who has just confirmed, in their
    language, with the latest published issue's articles in that language (if
    it has any). Nothing for anyone no longer confirmed. Returns whether sent."""
    from bulletin.models import Article, Issue

    subscriber = Subscriber.objects.filter(pk=subscriber_id, status=Status.CONFIRMED).first()
    if subscriber is None:
        return False
    language = subscriber.language
    context = {
        "preferences_url": links.preferences_url(subscriber.pk, language),
        "unsubscribe_url": links.unsubscribe_url(subscriber.pk, language),
    }
    issue = Issue.objects.latest_published()
    articles = list(
        Article.objects.published().in_issue(issue).for_language(language)
        .order_by("topic__position", "position", "pk")
    ) if issue else []
    if articles:
        with override(language):
            context.update(
                issue=issue,
                issue_title=getattr(issue, f"title_{language}", "") or issue.period_label(),
                period=issue.period_label(),
                summary=getattr(issue, f"summary_{language}", ""),
                issue_url=links.absolute(issue.get_absolute_url()),
                articles=[(a, links.absolute(a.get_absolute_url())) for a in articles],
            )
    emails.send_to_subscriber(subscriber, "welcome", context)
    return True


def unsubscribe(*, subscriber_id: int) -> Subscriber:
    """Stop every newsletter email to this subscriber. Idempotent: unsubscribing
    twice keeps the first unsubscribed_at. Works from any status. Raises
    SubscriberNotFound."""
    now = timezone.now()
    with transaction.atomic():
        subscriber = _locked(subscriber_id)
        if subscriber.status != Status.UNSUBSCRIBED:
            Subscriber.objects.filter(pk=subscriber.pk).update(
                status=Status.UNSUBSCRIBED, unsubscribed_at=now, updated_at=now
            )
    subscriber.refresh_from_db()
    return subscriber


def change_language(*, subscriber_id: int, language: str) -> Subscriber:
    """Move the subscriber to the newsletter in `language` (one with a newsletter).
    Raises SubscriptionError, SubscriberNotFound."""
    language = clean_language(language)
    with transaction.atomic():
        subscriber = _locked(subscriber_id)
        Subscriber.objects.filter(pk=subscriber.pk).update(
            language=language, updated_at=timezone.now()
        )
    subscriber.refresh_from_db()
    return subscriber


def erase(*, subscriber_ids: list[int], user=None) -> int:
    """Erase subscribers on request (GDPR Art. 17): their rows, everything that
    refers to them (foreign keys cascade), and the admin history entries that
    name them. What is logged carries no address. Returns how many were erased.

    After this the address is simply unknown: it can subscribe again, which
    goes through confirmation like any new address.
    """
    ids = [int(pk) for pk in subscriber_ids]
    with transaction.atomic():
        content_type = ContentType.objects.get_for_model(Subscriber)
        LogEntry.objects.filter(
            content_type=content_type, object_id__in=[str(pk) for pk in ids]
        ).delete()
        count = Subscriber.objects.filter(pk__in=ids).count()
        Subscriber.objects.filter(pk__in=ids).delete()
    log.info("erased %d subscriber(s) at the request of user id %s", count,
             getattr(user, "pk", None))
    return count


# --- importing -----------------------------------------------------------------


@dataclass
class ImportReport:
    imported: int = 0
    confirmations_queued: int = 0
    problems: list[csvio.Problem] = field(default_factory=list)


def import_source(filename: str, user) -> str:
    name = re.sub(r"[\x00-\x1f\x7f]", "", os.path.basename(filename or "upload.csv"))[:150]
    return f"import: {name} by {getattr(user, 'get_username', lambda: 'system')()}"


def import_csv(
    *, data: bytes, filename: str, user, default_language: str = "", attested_consent: str = ""
) -> ImportReport:
    """Import a CSV list of subscribers (columns: email, and optionally language).

    Every row is checked first; each bad one (bad address, unknown language,
    duplicate in the file, already on the list, wrong number of columns) is
    reported with its line number and the good ones are imported all together
    in one transaction (all or none, so a retry never half-duplicates).
    Addresses already on the list are never changed, whatever their status: an
    import never resubscribes someone who left.

    Imported addresses are `pending` and get a confirmation email (Celery
    batches, after commit), unless `attested_consent` is given: the editor's
    statement that these people consented elsewhere, recorded as their consent
    ("import: <file> by <user>"), which makes them `confirmed` at once.
    Existence is checked in chunks of addresses (no query per row) and rows are
    inserted in batches, so 100,000 rows take seconds.
    Raises csvio.FileRejected when the file as a whole cannot be read.
    """
    languages = newsletter_language_codes()
    if default_language and default_language not in languages:
        raise SubscriptionError(_("Choose one of the newsletter's languages."))
    parsed = csvio.parse(data, languages=languages, default_language=default_language)
    report = ImportReport(problems=list(parsed.problems))
    now = timezone.now()
    source = import_source(filename, user)

    existing = _existing_statuses([row.email.lower() for row in parsed.rows])
    fresh = []
    for row in parsed.rows:
        status = existing.get(row.email.lower())
        if status:
            report.problems.append(csvio.Problem(row.line, row.email, _(
                "already on the list (%(status)s)") % {"status": Status(status).label}))
        else:
            fresh.append(row)

    attested = attested_consent.strip()
    common = {"created_at": now, "consent_source": source[:300]}
    if attested:
        common.update(
            status=Status.CONFIRMED, confirmed_at=now, consent_at=now,
            consent_text=attested, consent_version="import",
        )
    else:
        # The claim to send each one a confirmation is made here, at insert.
        common.update(status=Status.PENDING, confirmation_sent_at=now)

    with transaction.atomic():
        Subscriber.objects.bulk_create(
            (Subscriber(email=row.email, language=row.language, **common) for row in fresh),
            batch_size=INSERT_BATCH,
            # An address subscribed through the site while we were checking is
            # skipped here, and reported below, rather than failing the import.
            ignore_conflicts=True,
        )
        inserted = dict(
            Subscriber.objects.filter(created_at=now, consent_source=common["consent_source"])
            .annotate(email_lower=Lower("email"))
            .values_list("email_lower", "pk")
        )
        ids = []
        for row in fresh:
            pk = inserted.get(row.email.lower())
            if pk is None:
                report.problems.append(csvio.Problem(row.line, row.email, _(
                    "already on the list (added while importing)")))
            else:
                ids.append(pk)
        report.imported = len(ids)
        if ids and not attested:
            report.confirmations_queued = len(ids)
            queue.subscription_emails_queue(ids)
    report.problems.sort(key=lambda problem: problem.line)
    log.info("imported %d subscriber(s) from %r, %d problem row(s)",
             report.imported, source, len(report.problems))
    return report


def _existing_statuses(addresses: list[str]) -> dict[str, str]:
    """{lower-cased address: status} for those already on the list, in chunked queries."""
    found = {}
    for start in range(0, len(addresses), EXISTING_CHUNK):
        chunk = addresses[start : start + EXISTING_CHUNK]
        found.update(
            Subscriber.objects.annotate(email_lower=Lower("email"))
            .filter(email_lower__in=chunk)
            .values_list("email_lower", "status")
        )
    return found
