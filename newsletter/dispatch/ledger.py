"""The ledger: one Delivery row per (dispatch, subscriber), the only record of "sent".

- start: scheduled/paused → sending; the email rendered once, one pending row
  per confirmed subscriber of the language (one INSERT ... SELECT; the unique
  constraint makes a rerun create nothing), then batches queued after commit.
- claim: pending → sending by a conditional UPDATE before a message goes to SMTP.
- mark: sending → sent right after the server accepts it (the one query per recipient).
- release / record a failure: back to pending (later), or failed.
- sweep: a worker killed mid-batch leaves its claimed rows in `sending`; after
  NEWSLETTER_LEASE_SECONDS they go back to pending, so everyone is sent to.
  Only the one message in flight at the kill can go out twice.
- release a node's claims: when a worker starts again under the same node
  name, what its killed incarnation had claimed goes back to pending at once
  (liveness.py calls it), not after the lease.
- finish: a dispatch is `sent` only when no delivery is pending or sending.

The worker (worker.py) drives these; nothing here talks to SMTP.
"""

import datetime
import logging
import random
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from newsletter.dispatch import content, queue
from newsletter.models import Delivery, Dispatch, Subscriber

log = logging.getLogger(__name__)


def start(*, dispatch_id: int) -> bool:
    """Render the email, create one Delivery per confirmed subscriber of the
    language, and fan out batch tasks. Returns False when another caller
    already started it (safe to call twice)."""
    with transaction.atomic():
        dispatch = Dispatch.objects.select_for_update().select_related("issue").get(
            pk=dispatch_id
        )
        if dispatch.started_at is not None or dispatch.status not in (
            Dispatch.Status.SCHEDULED, Dispatch.Status.PAUSED
        ):
            return False
        rendered = content.render_issue_email(dispatch.issue, dispatch.language)
        now = timezone.now()
        dispatch.subject = rendered.subject
        dispatch.body_text = rendered.text
        dispatch.body_html = rendered.html
        dispatch.status = Dispatch.Status.SENDING
        dispatch.started_at = dispatch.heartbeat_at = now
        dispatch.note = ""
        dispatch.recipients = _create_deliveries(dispatch)
        dispatch.save()
        queue.batches_queue(dispatch_id)
    log.info("dispatch %s started: %s recipients", dispatch_id, dispatch.recipients)
    return True


def _create_deliveries(dispatch) -> int:
    """INSERT ... SELECT: one statement whatever the list size; the unique
    constraint makes a rerun create nothing."""
    delivery, subscriber = Delivery._meta.db_table, Subscriber._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {delivery} (dispatch_id, subscriber_id, status, attempts, last_error,"  # noqa: S608
            f" message_id) SELECT %s, id, %s, 0, '', '' FROM {subscriber}"
            f" WHERE status = %s AND language = %s ON CONFLICT DO NOTHING",
            [dispatch.pk, Delivery.Status.PENDING, Subscriber.Status.CONFIRMED,
             dispatch.language],
        )
    return Delivery.objects.filter(dispatch=dispatch).count()


def claim_batch(dispatch_id: int, size: int) -> list[int]:
    """Claim up to `size` due pending rows of a sending dispatch (pending → sending).

    Rows are locked with SKIP LOCKED so concurrent batches take different
    rows; the UPDATE is conditional on `pending`, so a row is never claimed twice.
    Rows whose subscriber is no longer confirmed are skipped, not sent.
    """
    now = timezone.now()
    with transaction.atomic():
        due = Delivery.objects.filter(
            dispatch_id=dispatch_id,
            dispatch__status=Dispatch.Status.SENDING,
            status=Delivery.Status.PENDING,
        ).filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        ids = list(due.order_by("pk").values_list("pk", flat=True)[:size])
        if not ids:
            return []
        Delivery.objects.filter(pk__in=ids, status=Delivery.Status.PENDING).exclude(
            subscriber__status=Subscriber.Status.CONFIRMED
        ).update(status=Delivery.Status.SKIPPED, last_error="no longer subscribed")
        Delivery.objects.filter(pk__in=ids, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.SENDING, claimed_at=now, claimed_by=_claimant(),
            attempts=F("attempts") + 1,
        )
        Dispatch.objects.filter(pk=dispatch_id).update(heartbeat_at=now)
    return ids


def relax_commits() -> bool:
    """With NEWSLETTER_LEDGER_SYNCHRONOUS_COMMIT off (PostgreSQL only), this batch's
    ledger writes commit without waiting for the WAL flush to disk.

    Every write still happens right after the SMTP server accepts the message
    and is committed and visible to every other transaction at once, so a
    killed worker, a dropped connection or a redelivered task change nothing.
    What it gives up: if the PostgreSQL server itself crashes, the marks of the
    last ~3 × wal_writer_delay (0.6 s by default) may be lost, and those
    recipients get the issue again when the sweeper recovers their rows. The
    claim (before sending) always commits synchronously. The default; set
    NEWSLETTER_LEDGER_SYNCHRONOUS_COMMIT=1 to wait for the disk on every mark.
    """
    if settings.NEWSLETTER_LEDGER_SYNCHRONOUS_COMMIT or connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    return True


def restore_commits():
    try:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")
    except (OperationalError, InterfaceError):
        connection.close()  # a new connection starts with the server's default


_MARK_SENT_SQL = None


def _mark_sent_sql() -> str:
    """The ledger UPDATE as plain SQL: the ORM would compile it anew per recipient."""
    global _MARK_SENT_SQL
    if _MARK_SENT_SQL is None:
        quote = connection.ops.quote_name
        column = {name: quote(Delivery._meta.get_field(name).column)
                  for name in ("id", "status", "sent_at", "message_id", "last_error")}
        _MARK_SENT_SQL = (
            f"UPDATE {quote(Delivery._meta.db_table)} SET {column['status']} = %s, "  # noqa: S608
            f"{column['sent_at']} = %s, {column['message_id']} = %s, {column['last_error']} = ''"
            f" WHERE {column['id']} = %s AND {column['status']} = %s"
        )
    return _MARK_SENT_SQL


def mark_sent(recipient):
    """The ledger write: the one query per recipient, right after the server took
    the message, so a kill cannot make us send it again. The server has the
    message by now, so a dropped database connection is retried on a fresh one
    rather than letting the row be sent a second time."""
    for attempt in range(4):
        try:
            with connection.cursor() as cursor:
                cursor.execute(_mark_sent_sql(), [
                    Delivery.Status.SENT,
                    connection.ops.adapt_datetimefield_value(timezone.now()),
                    recipient.message_id,
                    recipient.delivery_id, Delivery.Status.SENDING,
                ])
            return
        except (OperationalError, InterfaceError):
            if attempt == 3 or connection.in_atomic_block:
                raise
            log.warning("database connection lost marking delivery %s sent; retrying",
                        recipient.delivery_id)
            connection.close()
            time.sleep(0.2 * (attempt + 1))


def release(recipients, delay: float, error: str) -> int:
    """Claimed but not attempted: back to pending, the attempt not counted."""
    values = {
        "status": Delivery.Status.PENDING,
        "next_attempt_at": timezone.now() + datetime.timedelta(seconds=delay),
        "attempts": F("attempts") - 1,
    }
    if error:
        values["last_error"] = error
    return Delivery.objects.filter(
        pk__in=[r.delivery_id for r in recipients], status=Delivery.Status.SENDING
    ).update(**values)


def skip_if_cancelled(dispatch_id: int) -> int:
    """Rows given back by a batch that stopped for a cancel: skipped, as the
    cancel skipped the rows pending at that moment."""
    return Delivery.objects.filter(
        dispatch_id=dispatch_id, dispatch__status=Dispatch.Status.CANCELLED,
        status=Delivery.Status.PENDING,
    ).update(status=Delivery.Status.SKIPPED, last_error="dispatch cancelled")


def renew_claim(recipients):
    Delivery.objects.filter(
        pk__in=[r.delivery_id for r in recipients], status=Delivery.Status.SENDING
    ).update(claimed_at=timezone.now())


def backoff_seconds(attempts: int) -> float:
    """Exponential backoff with ±50% jitter, capped."""
    base = settings.NEWSLETTER_RETRY_BASE_SECONDS * (2 ** max(attempts - 1, 0))
    return min(base, settings.NEWSLETTER_RETRY_MAX_SECONDS) * random.uniform(0.5, 1.5)


def record_temporary_failure(recipient, error) -> float | None:
    """Back to pending with a later attempt time; failed after the last attempt."""
    row = Delivery.objects.filter(pk=recipient.delivery_id).values("attempts").first()
    attempts = row["attempts"] if row else settings.NEWSLETTER_MAX_ATTEMPTS
    if attempts >= settings.NEWSLETTER_MAX_ATTEMPTS:
        Delivery.objects.filter(pk=recipient.delivery_id, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.FAILED, last_error=f"gave up after {attempts} attempts: {error}"
        )
        return None
    delay = backoff_seconds(attempts)
    Delivery.objects.filter(pk=recipient.delivery_id, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.PENDING,
        last_error=error,
        next_attempt_at=timezone.now() + datetime.timedelta(seconds=delay),
    )
    return delay


def record_permanent_failure(recipient, error, *, bounce: bool):
    now = timezone.now()
    Delivery.objects.filter(pk=recipient.delivery_id, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.FAILED, last_error=error
    )
    if bounce:
        Subscriber.objects.filter(pk=recipient.subscriber_id).update(
            status=Subscriber.Status.BOUNCED, bounced_at=now, bounce_reason=error
        )
    log.warning("delivery %s failed permanently: %s", recipient.delivery_id, error)


def finish_if_done(*, dispatch_id: int) -> bool:
    """sending → sent, only when no delivery is pending or sending. A dispatch
    with failed deliveries says so in its note ("sent" never hides them)."""
    open_rows = Delivery.objects.filter(
        dispatch=OuterRef("pk"),
        status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING],
    )
    finished = bool(
        Dispatch.objects.filter(pk=dispatch_id, status=Dispatch.Status.SENDING)
        .exclude(Exists(open_rows))
        .update(status=Dispatch.Status.SENT, finished_at=timezone.now())
    )
    if finished:
        counts = Delivery.objects.filter(dispatch_id=dispatch_id).aggregate(
            sent=Count("pk", filter=Q(status=Delivery.Status.SENT)),
            failed=Count("pk", filter=Q(status=Delivery.Status.FAILED)),
        )
        note = _finish_note(counts["sent"], counts["failed"])
        if note:
            Dispatch.objects.filter(pk=dispatch_id).update(note=note)
            log.warning("dispatch %s finished: %s", dispatch_id, note)
    return finished


def _finish_note(sent: int, failed: int) -> str:
    if not failed:
        return ""
    if not sent:
        return _("Nothing was delivered: all %(failed)d deliveries failed. See the failed "
                 "deliveries for the reasons.") % {"failed": failed}
    return _("%(failed)d of %(total)d deliveries failed. See the failed deliveries for the "
             "reasons.") % {"failed": failed, "total": sent + failed}


def _claimant() -> str:
    """The node name of the worker running this batch ("" outside a worker)."""
    from celery import current_task

    request = getattr(current_task, "request", None)
    return getattr(request, "hostname", None) or ""


def release_claims_of(node: str, started_at) -> int:
    """Put back to pending the rows `node` claimed before `started_at` (its
    previous incarnation, which is dead: a worker runs one incarnation per
    node name), and queue their dispatches' batches. Returns the count."""
    with transaction.atomic():
        held = Delivery.objects.filter(
            status=Delivery.Status.SENDING, claimed_by=node, claimed_at__lt=started_at
        )
        dispatch_ids = sorted(set(held.values_list("dispatch_id", flat=True)))
        released = held.update(status=Delivery.Status.PENDING, claimed_by="")
        for dispatch_id in dispatch_ids:
            queue.batches_queue(dispatch_id)
    if released:
        log.info("worker %s started: released %d deliveries its previous run had claimed "
                 "(dispatches %s)", node, released, dispatch_ids)
    return released


def sweep(now=None) -> dict:
    """Beat, every 30 s: recover rows of dead workers, restart quiet dispatches,
    close finished ones. Safe to run any number of times, anywhere."""
    now = now or timezone.now()
    lease = datetime.timedelta(seconds=settings.NEWSLETTER_LEASE_SECONDS)
    expired = Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_at__lt=now - lease)
    gave_up = expired.filter(attempts__gte=settings.NEWSLETTER_MAX_ATTEMPTS).update(
        status=Delivery.Status.FAILED, last_error="gave up: the worker sending it kept dying"
    )
    recovered = expired.update(status=Delivery.Status.PENDING)
    restarted = []
    for dispatch_id in Dispatch.objects.filter(status=Dispatch.Status.SENDING).values_list(
        "pk", flat=True
    ):
        if finish_if_done(dispatch_id=dispatch_id):
            continue
        quiet = Dispatch.objects.filter(
            Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=now - lease), pk=dispatch_id
        ).exists()
        has_due = Delivery.objects.filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
            dispatch_id=dispatch_id, status=Delivery.Status.PENDING,
        ).exists()
        if quiet and has_due:
            Dispatch.objects.filter(pk=dispatch_id).update(heartbeat_at=now)
            queue.batches_queue(dispatch_id)
            restarted.append(dispatch_id)
    if recovered or gave_up or restarted:
        log.info("sweep: recovered=%s gave_up=%s restarted=%s", recovered, gave_up, restarted)
    return {"recovered": recovered, "gave_up": gave_up, "restarted": restarted}
