"""Every write of the subscription side, each named subscriber_<verb>: subscribe,
confirm, unsubscribe, change_language, erase, import_csv, and sending the
confirmation and welcome emails.

Each service is keyword-only and atomic, and says what it guarantees. Views,
the admin and the Celery tasks call these. Besides them, only the sending side
writes a Subscriber, to record a bounce (newsletter/bounces.py, and
dispatch/ledger.py for a 5xx during sending), and the demo data (newsletter/demo.py).
Emails are sent only after the transaction commits, through a Celery task
queued by newsletter.dispatch.queue (in-process in the embedded default and the tests).
"""

import datetime
import logging
import os
import re
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from bulletin.errors import UserError
from bulletin.text import clean_text
from newsletter import addresses, csvio, emails, links
from newsletter import consent as consent_texts
from newsletter.consent import Consent
from newsletter.dispatch import queue
from newsletter.languages import newsletter_language_codes
from newsletter.models import ConsentRecord, Subscriber

log = logging.getLogger(__name__)

Status = Subscriber.Status

# Chunk size for "which of these addresses are already on the list" queries:
# below SQLite's oldest limit of 999 parameters.
EXISTING_CHUNK = 900
INSERT_BATCH = 1000


class SubscriptionError(UserError):
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


def _record_fields(record: ConsentRecord) -> dict:
    """A confirmed request's consent, as the subscriber's consent in force."""
    return {
        "consent_at": record.requested_at, "consent_source": record.source,
        "consent_ip": record.ip, "consent_user_agent": record.user_agent,
        "consent_text": record.text, "consent_version": record.version,
    }


def new_nonce() -> str:
    return secrets.token_urlsafe(12)


# --- subscribing ---------------------------------------------------------------


@dataclass(frozen=True)
class SubscribeResult:
    subscriber_id: int
    created: bool
    email_queued: bool


def subscriber_subscribe(*, email: str, language: str, consent: Consent) -> SubscribeResult:
    """Ask `email` to confirm a subscription to the newsletter in `language`.

    - New address: a `pending` row with this consent; a confirmation email.
    - Pending, unsubscribed or bounced: the row is not touched (status,
      language, consent, old stamps stay as they are). The request is added
      to the consent history (ConsentRecord) with a new nonce, which the new
      confirmation email's link carries; every older link stops working. Only
      confirming that link applies the request's language and consent.
    - Confirmed: nothing changes; an "already subscribed" note with their
      preferences link is sent instead.

    Guarantees: one row per address however many requests race (the unique
    index decides; the loser of the race reads the winner's row); at most one
    email per address per NEWSLETTER_CONFIRMATION_INTERVAL seconds (the right to
    send is claimed with a conditional UPDATE of `confirmation_sent_at`), and a
    request within that interval changes nothing (so a stranger cannot void a
    link the owner was just sent); the email goes out only after commit. The
    result is for tests and logs: callers that answer the public must answer
    the same whatever it says.
    Raises SubscriptionError for a malformed address or a language without a newsletter.
    """
    try:
        address = addresses.clean_email(email)
    except ValidationError as exc:
        raise SubscriptionError(exc.messages[0]) from None
    language = clean_language(language)
    now = timezone.now()
    nonce = new_nonce()
    with transaction.atomic():
        subscriber, created = _get_or_create_locked(address, language, consent, now, nonce)
        queued = _claim_subscription_email(subscriber.pk, now)
        if queued and subscriber.status != Status.CONFIRMED:
            if not created:
                Subscriber.objects.filter(pk=subscriber.pk).update(confirmation_nonce=nonce)
            ConsentRecord.objects.create(
                subscriber=subscriber, nonce=nonce, language=language, requested_at=now,
                source=consent.source[:300], ip=consent.ip or None,
                user_agent=consent.user_agent[:500], text=consent.text,
                version=consent.version[:32], shown_language=consent.shown_language,
            )
        if queued:
            queue.subscription_emails_queue([subscriber.pk])
    return SubscribeResult(subscriber.pk, created, queued)


def _get_or_create_locked(address, language, consent, now, nonce):
    existing = Subscriber.objects.select_for_update().with_email(address).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():  # a savepoint: the race's loser rolls back only this
            return Subscriber.objects.create(
                email=address, language=language, status=Status.PENDING,
                created_at=now, confirmation_nonce=nonce, **_consent_fields(consent, now),
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


def subscriber_send_subscription_emails(*, subscriber_ids: list[int]) -> int:
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
    requests = {
        record.subscriber_id: record
        for record in ConsentRecord.objects.filter(
            subscriber_id__in=subscriber_ids, nonce=F("subscriber__confirmation_nonce"),
        ).exclude(nonce="")
    }
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
                if _send_one(subscriber, requests.get(subscriber.pk), connection):
                    sent += 1
            except Exception:
                log.exception("subscription email to subscriber %s failed", subscriber.pk)
                Subscriber.objects.filter(pk=subscriber.pk).update(confirmation_sent_at=None)
    finally:
        connection.close()
    return sent


def confirmation_open(subscriber: Subscriber) -> bool:
    """Whether a confirmation link can still subscribe this person: a request is
    outstanding, or (links made before requests had nonces) they are pending."""
    if subscriber.status == Status.CONFIRMED:
        return False
    return bool(subscriber.confirmation_nonce) or subscriber.status == Status.PENDING


def confirmation_current(subscriber: Subscriber, nonce: str) -> bool:
    """Whether a confirmation link carrying `nonce` is the one that counts."""
    return confirmation_open(subscriber) and nonce == subscriber.confirmation_nonce


def _send_one(subscriber, request, connection) -> bool:
    if confirmation_open(subscriber):
        if request is not None:
            # In the language the request chose; the row keeps its own until confirmed.
            subscriber.language = request.language
        # No List-Unsubscribe headers: the person is not subscribed (yet).
        emails.send_to_subscriber(
            subscriber, "confirm",
            {"confirm_url": links.confirm_url(subscriber),
             "consent_text": consent_text_in(
                 request.text, request.version, subscriber.language
             ) if request and request.text else _consent_in(subscriber)},
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


def consent_text_in(text: str, version: str, language: str) -> str:
    """A consent text as a subscriber of `language` reads it: the words of
    `version` in that language (a form shown in another language included); a
    text of no version we know (an import's own statement) as it was given."""
    if text and version not in consent_texts.TEXTS:
        return text
    with override(language):
        return consent_texts.text(consent_texts.known_version(version))


def _consent_in(subscriber) -> str:
    """The consent text to show or record in the subscriber's language."""
    return consent_text_in(
        subscriber.consent_text, subscriber.consent_version, subscriber.language)


# --- confirming, leaving, changing ----------------------------------------------


def _locked(subscriber_id: int) -> Subscriber:
    try:
        return Subscriber.objects.select_for_update().get(pk=subscriber_id)
    except Subscriber.DoesNotExist:
        raise SubscriberNotFound from None


def subscriber_confirm(*, subscriber_id: int, nonce: str = "") -> Subscriber:
    """Confirm the subscription request whose link carried `nonce`.

    Idempotent: confirming a confirmed subscriber changes nothing. Only the
    latest request's link confirms (`confirmation_current`); an older one, or
    any link of someone who has left since, raises LinkSuperseded. Confirming
    applies that request's language and consent (its record gets
    `confirmed_at`; earlier records stay as they were), and clears any earlier
    unsubscribed/bounced state explicitly (a returning subscriber must not
    inherit an old suppression). An imported address, which gave no consent,
    gets a record of the confirmation email's text they just acted on.
    Raises SubscriberNotFound, LinkSuperseded.
    """
    now = timezone.now()
    with transaction.atomic():
        subscriber = _locked(subscriber_id)
        if subscriber.status == Status.CONFIRMED:
            return subscriber
        if not confirmation_current(subscriber, nonce):
            raise LinkSuperseded
        values = {
            "status": Status.CONFIRMED, "confirmed_at": now, "confirmation_nonce": "",
            "unsubscribed_at": None, "bounced_at": None, "bounce_reason": "",
            "complained_at": None, "soft_bounces": 0,
        }
        record = ConsentRecord.objects.filter(subscriber=subscriber, nonce=nonce).first()
        if record is None and not subscriber.consent_text:
            record = ConsentRecord.objects.create(
                subscriber=subscriber, nonce=nonce, language=subscriber.language,
                requested_at=now, text=_consent_in(subscriber),
                version=consent_texts.CURRENT_VERSION,
                source=(
                    f"{subscriber.consent_source} (confirmed by email)"[:300]
                    if subscriber.consent_source else "confirmation email"
                ),
            )
        if record is not None:
            values.update(language=record.language, **_record_fields(record))
            ConsentRecord.objects.filter(pk=record.pk).update(confirmed_at=now)
        Subscriber.objects.filter(pk=subscriber.pk).update(updated_at=now, **values)
        queue.welcome_queue(subscriber.pk)
    subscriber.refresh_from_db()
    return subscriber


def subscriber_send_welcome(*, subscriber_id: int) -> bool:
    """The welcome email to a subscriber who has just confirmed, in their
    language, with the latest published issue's articles in that language (if
    it has any). Nothing for anyone no longer confirmed. Returns whether sent."""
    from bulletin.models import Article, Issue, absolute_url

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
                issue_url=absolute_url(issue.get_absolute_url()),
                articles=[(a, absolute_url(a.get_absolute_url())) for a in articles],
            )
    emails.send_to_subscriber(subscriber, "welcome", context)
    return True


def subscriber_unsubscribe(*, subscriber_id: int) -> Subscriber:
    """Stop every newsletter email to this subscriber. Idempotent: unsubscribing
    twice keeps the first unsubscribed_at. Works from any status, and voids any
    outstanding confirmation link (leaving wins over a request made earlier).
    Raises SubscriberNotFound."""
    now = timezone.now()
    with transaction.atomic():
        subscriber = _locked(subscriber_id)
        if subscriber.status != Status.UNSUBSCRIBED or subscriber.confirmation_nonce:
            Subscriber.objects.filter(pk=subscriber.pk).update(
                status=Status.UNSUBSCRIBED, confirmation_nonce="", updated_at=now,
                unsubscribed_at=subscriber.unsubscribed_at
                if subscriber.status == Status.UNSUBSCRIBED else now,
            )
    subscriber.refresh_from_db()
    return subscriber


def subscriber_change_language(*, subscriber_id: int, language: str) -> Subscriber:
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


def subscriber_erase(*, subscriber_ids: list[int], user=None) -> int:
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


def subscriber_import_source(filename: str, user) -> str:
    name = re.sub(r"[\x00-\x1f\x7f]", "", os.path.basename(filename or "upload.csv"))[:150]
    return f"import: {name} by {getattr(user, 'get_username', lambda: 'system')()}"


def subscriber_import_csv(
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
    source = subscriber_import_source(filename, user)

    existing = _existing_statuses([row.email.lower() for row in parsed.rows])
    fresh = []
    for row in parsed.rows:
        status = existing.get(row.email.lower())
        if status:
            report.problems.append(csvio.Problem(row.line, row.email, _(
                "already on the list (%(status)s)") % {"status": Status(status).label}))
        else:
            fresh.append(row)

    # bulk_create skips save(), where text is otherwise cleaned (bulletin/text.py).
    attested = clean_text(attested_consent, multiline=True).strip()
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
            (
                Subscriber(email=row.email, language=row.language,
                           confirmation_nonce="" if attested else new_nonce(), **common)
                for row in fresh
            ),
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
        ids, records = [], []
        for row in fresh:
            pk = inserted.get(row.email.lower())
            if pk is None:
                report.problems.append(csvio.Problem(row.line, row.email, _(
                    "already on the list (added while importing)")))
            else:
                ids.append(pk)
                if attested:
                    records.append(ConsentRecord(
                        subscriber_id=pk, nonce="", language=row.language, requested_at=now,
                        source=common["consent_source"], text=attested, version="import",
                        confirmed_at=now,
                    ))
        ConsentRecord.objects.bulk_create(records, batch_size=INSERT_BATCH)
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
