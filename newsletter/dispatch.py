"""The weekly dispatch: every write of sending an issue happens here.

Guarantees:
- One Dispatch per (issue, language), one Delivery per (dispatch, subscriber):
  database constraints; a second "send" or a rerun creates nothing new.
- A Delivery is claimed (pending → sending) by a conditional UPDATE before its
  message goes to SMTP, and marked sent right after the server accepts it. A
  redelivered or duplicated batch task finds nothing left to claim.
- A worker killed mid-batch leaves its claimed rows in `sending`; its claim
  expires after NEWSLETTER_LEASE_SECONDS and the sweeper puts them back to
  pending, so everyone is sent to. Only the one message in flight at the kill
  can go out twice.
- A dispatch is `sent` only when no delivery is pending or sending.
- A scheduled dispatch found more than NEWSLETTER_MAX_LATENESS late is paused
  for an editor instead of going out late.
"""

import datetime
import logging
import math
import random
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from bulletin import notifications
from bulletin.models import Article, Issue, Topic
from newsletter import emails, languages, links, schedule, sending
from newsletter.models import Delivery, Dispatch, Subscriber

log = logging.getLogger(__name__)

SEND_PERMISSION = "newsletter.send_newsletter"


class DispatchError(Exception):
    """Something an editor or operator asked for that cannot be done; the message says why."""


def _require(user, message):
    if user is not None and not user.has_perm(SEND_PERMISSION):
        raise PermissionDenied(message)


def newsletter_languages() -> list[str]:
    """Codes of the newsletter's languages, in site order."""
    return [code for code, _name in languages.newsletter_languages()]


# --- What goes in the email -------------------------------------------------


def issue_articles(issue, language, *, preview=False):
    """The issue's articles readers can see in `language`, grouped by topic
    (with `preview`, also the approved ones that publishing will add)."""
    articles = (
        Article.objects.filter(status__in=[Article.Status.APPROVED, Article.Status.PUBLISHED])
        if preview
        else Article.objects.published()
    )
    articles = (
        articles
        .in_issue(issue)
        .for_language(language)
        .select_related("topic")
        .order_by("topic__position", "position", "pk")
    )
    groups: list[tuple[Topic, list[Article]]] = []
    for article in articles:
        if not groups or groups[-1][0].pk != article.topic_id:
            groups.append((article.topic, []))
        groups[-1][1].append(article)
    return groups


def missing_articles(issue) -> dict[str, list[Article]]:
    """Per newsletter language, the issue's articles (published or about to be)
    that have no translation in it and will be left out of that email."""
    candidates = list(
        issue.articles.filter(status__in=[Article.Status.APPROVED, Article.Status.PUBLISHED])
    )
    return {
        code: [a for a in candidates if not a.has_language(code)]
        for code in newsletter_languages()
    }


def web_version_url(issue, language) -> str:
    with override(language):
        return links.absolute(reverse("newsletter:web_version", kwargs={"number": issue.number}))


def email_context(issue, language, *, personal=True, preview=False) -> dict:
    groups = issue_articles(issue, language, preview=preview)
    with override(language):
        article_links = {
            a.pk: links.absolute(a.get_absolute_url()) for _t, items in groups for a in items
        }
        return {
            "issue": issue,
            "period": issue.period_label(language),
            "title": getattr(issue, f"title_{language}", ""),
            "summary": getattr(issue, f"summary_{language}", ""),
            "groups": [
                (topic, [(a, article_links[a.pk]) for a in items]) for topic, items in groups
            ],
            "web_url": web_version_url(issue, language),
            "issue_url": links.absolute(issue.get_absolute_url()),
            "subscribe_url": links.absolute(reverse("newsletter:subscribe")),
            "personal": personal,
            "unsubscribe_url": sending.UNSUBSCRIBE if personal else "",
            "preferences_url": sending.PREFERENCES if personal else "",
        }


def render_issue_email(issue, language, *, personal=True, preview=False) -> emails.RenderedEmail:
    context = email_context(issue, language, personal=personal, preview=preview)
    return emails.render_email("issue", context, language)


def list_id(language) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"{settings.SITE_NAME} ({language}) <newsletter-{language}.{host}>"


def message_id(dispatch: Dispatch, subscriber_id: int) -> str:
    """Deterministic per delivery: the same subscriber, issue and language."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"issue-{dispatch.issue.number}.{dispatch.language}.{subscriber_id}@{host}"


# --- Scheduling ---------------------------------------------------------------


def schedule_for_issue(*, issue_id: int, send_now: bool = False) -> list[Dispatch]:
    """One dispatch per newsletter language for a published issue, at the weekly
    send time (or now). Idempotent: existing dispatches are left as they are."""
    issue = Issue.objects.get(pk=issue_id)
    if issue.status != Issue.Status.PUBLISHED:
        raise DispatchError(_("Issue %(number)s is not published; it cannot be sent.")
                            % {"number": issue.number})
    when = timezone.now() if send_now else schedule.next_send_time(issue.published_at)
    dispatches = []
    for code in newsletter_languages():
        try:
            with transaction.atomic():
                dispatch, _created = Dispatch.objects.get_or_create(
                    issue=issue, language=code, defaults={"scheduled_for": when}
                )
        except IntegrityError:  # created concurrently by another request
            dispatch = Dispatch.objects.get(issue=issue, language=code)
        dispatches.append(dispatch)
    if send_now:
        for dispatch in dispatches:
            transaction.on_commit(lambda pk=dispatch.pk: _start_later(pk))
    return dispatches


def _start_later(dispatch_id):
    from newsletter.tasks import start_dispatch

    start_dispatch.delay(dispatch_id)


def on_issue_published(sender, issue_id, send_now=False, newsletter=True, **kwargs):
    if newsletter:
        schedule_for_issue(issue_id=issue_id, send_now=send_now)


def start_due_dispatches(now=None) -> dict:
    """Beat, every minute: start what is due; pause what is too late."""
    now = now or timezone.now()
    late_after = datetime.timedelta(seconds=settings.NEWSLETTER_MAX_LATENESS)
    started, paused = [], []
    for dispatch in Dispatch.objects.filter(
        status=Dispatch.Status.SCHEDULED, scheduled_for__lte=now
    ):
        if now - dispatch.scheduled_for > late_after:
            note = _("Not sent: found %(hours).1f hours after its time (were the workers "
                     "down?). Resume to send it now, or cancel.") % {
                "hours": (now - dispatch.scheduled_for).total_seconds() / 3600}
            if Dispatch.objects.filter(pk=dispatch.pk, status=Dispatch.Status.SCHEDULED).update(
                status=Dispatch.Status.PAUSED, note=note
            ):
                paused.append(dispatch.pk)
                log.warning("dispatch %s paused: late", dispatch.pk)
                notifications.dispatch_needs_attention(
                    dispatch_id=dispatch.pk, notice=notifications.Notice.DISPATCH_PAUSED)
            continue
        if start(dispatch_id=dispatch.pk):
            started.append(dispatch.pk)
    return {"started": started, "paused": paused}


# --- Sending -----------------------------------------------------------------------


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
        rendered = render_issue_email(dispatch.issue, dispatch.language)
        now = timezone.now()
        dispatch.subject = rendered.subject
        dispatch.body_text = rendered.text
        dispatch.body_html = rendered.html
        dispatch.status = Dispatch.Status.SENDING
        dispatch.started_at = dispatch.heartbeat_at = now
        dispatch.note = ""
        dispatch.recipients = _create_deliveries(dispatch)
        dispatch.save()
        transaction.on_commit(lambda: fan_out(dispatch_id=dispatch_id))
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


def fan_out(*, dispatch_id: int, countdown: float = 0) -> int:
    """Queue enough batch tasks for the pending rows. Extra tasks are harmless:
    a batch with nothing to claim returns at once."""
    from newsletter.tasks import send_batch

    pending = Delivery.objects.filter(dispatch_id=dispatch_id, status=Delivery.Status.PENDING)
    tasks = math.ceil(pending.count() / settings.NEWSLETTER_BATCH_SIZE)
    for _i in range(tasks):
        send_batch.apply_async((dispatch_id,), countdown=countdown)
    return tasks


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
            status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
        Dispatch.objects.filter(pk=dispatch_id).update(heartbeat_at=now)
    return ids


def send_batch(*, dispatch_id: int, size: int | None = None) -> dict:
    """Claim one batch, send it over one SMTP connection, record each result."""
    size = size or settings.NEWSLETTER_BATCH_SIZE
    ids = claim_batch(dispatch_id, size)
    if not ids:
        finish_if_done(dispatch_id=dispatch_id)
        return {"sent": 0}
    dispatch = Dispatch.objects.select_related("issue").get(pk=dispatch_id)
    recipients = [
        sending.Recipient(pk, subscriber_id, email, message_id(dispatch, subscriber_id))
        for pk, subscriber_id, email in Delivery.objects.filter(
            pk__in=ids, status=Delivery.Status.SENDING
        ).values_list("pk", "subscriber_id", "subscriber__email").order_by("pk")
    ]
    template = sending.MessageTemplate(
        subject=dispatch.subject,
        text=dispatch.body_text,
        html=dispatch.body_html,
        from_email=emails.sender(dispatch.language),
        language=dispatch.language,
        list_id=list_id(dispatch.language),
    )
    outcome = _send_all(dispatch, template, recipients)
    if outcome["retry"]:
        # One follow-up batch when the earliest retry is due; the sweeper covers
        # the case where that task is lost (a Redis restart).
        from newsletter.tasks import send_batch as send_batch_task

        send_batch_task.apply_async((dispatch_id,), countdown=outcome["retry_in"])
    finish_if_done(dispatch_id=dispatch_id)
    return outcome


def _send_all(dispatch, template, recipients) -> dict:
    transport = sending.Transport()
    limiter = sending.RateLimiter(settings.NEWSLETTER_RATE_PER_SECOND)
    personal_parts = sending.PersonalParts(dispatch.language)
    renew_every = max(settings.NEWSLETTER_LEASE_SECONDS / 3, 1)
    renewed_at = time.monotonic()
    sent = failed = retry = 0
    retry_in = None
    relaxed = _relax_ledger_commits()
    try:
        for index, recipient in enumerate(recipients):
            if time.monotonic() - renewed_at > renew_every:
                _renew_claim(recipients[index:])
                renewed_at = time.monotonic()
            limiter.wait()
            parts = personal_parts(recipient)
            try:
                transport.send(template, parts)
            except sending.PermanentFailure as exc:
                _record_permanent_failure(recipient, str(exc), bounce=exc.bounce)
                failed += 1
            except sending.ServerUnavailable as exc:
                # No server to talk to: nobody's attempt counts; the whole rest
                # of the batch waits and tries again.
                retry_in = backoff_seconds(1)
                retry += _release(recipients[index:], retry_in, str(exc))
                break
            except sending.TemporaryFailure as exc:
                delay = _record_temporary_failure(recipient, str(exc))
                if delay is None:
                    failed += 1
                else:
                    retry += 1
                    retry_in = delay if retry_in is None else min(retry_in, delay)
                if exc.connection_lost:
                    # Give the rest back rather than hammer a server that hung up.
                    retry += _release(recipients[index + 1 :], delay or 0, "")
                    break
            else:
                _mark_sent(recipient)
                sent += 1
    finally:
        transport.close()
        if relaxed:
            _restore_ledger_commits()
    return {"sent": sent, "failed": failed, "retry": retry, "retry_in": retry_in or 0}


def _relax_ledger_commits() -> bool:
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


def _restore_ledger_commits():
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


def _mark_sent(recipient):
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


def _release(recipients, delay: float, error: str) -> int:
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


def _renew_claim(recipients):
    Delivery.objects.filter(
        pk__in=[r.delivery_id for r in recipients], status=Delivery.Status.SENDING
    ).update(claimed_at=timezone.now())


def backoff_seconds(attempts: int) -> float:
    """Exponential backoff with ±50% jitter, capped."""
    base = settings.NEWSLETTER_RETRY_BASE_SECONDS * (2 ** max(attempts - 1, 0))
    return min(base, settings.NEWSLETTER_RETRY_MAX_SECONDS) * random.uniform(0.5, 1.5)


def _record_temporary_failure(recipient, error) -> float | None:
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


def _record_permanent_failure(recipient, error, *, bounce: bool):
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
    """sending → sent, only when no delivery is pending or sending."""
    open_rows = Delivery.objects.filter(
        dispatch=OuterRef("pk"),
        status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING],
    )
    finished = bool(
        Dispatch.objects.filter(pk=dispatch_id, status=Dispatch.Status.SENDING)
        .exclude(Exists(open_rows))
        .update(status=Dispatch.Status.SENT, finished_at=timezone.now())
    )
    if finished and Delivery.objects.filter(
        dispatch_id=dispatch_id, status=Delivery.Status.FAILED
    ).exists():
        notifications.dispatch_needs_attention(
            dispatch_id=dispatch_id, notice=notifications.Notice.DISPATCH_FAILED)
    return finished


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
            fan_out(dispatch_id=dispatch_id)
            restarted.append(dispatch_id)
    if recovered or gave_up or restarted:
        log.info("sweep: recovered=%s gave_up=%s restarted=%s", recovered, gave_up, restarted)
    return {"recovered": recovered, "gave_up": gave_up, "restarted": restarted}


# --- Editors' controls ----------------------------------------------------------------


def send_now(*, dispatch: Dispatch, user) -> Dispatch:
    """Start a scheduled (or late-paused, never started) dispatch at once."""
    _require(user, _("Only editors may send the newsletter."))
    if dispatch.status == Dispatch.Status.SENT:
        raise DispatchError(_("This dispatch has already been sent."))
    if dispatch.status == Dispatch.Status.CANCELLED:
        raise DispatchError(_("This dispatch was cancelled."))
    if dispatch.started_at is not None:
        return resume(dispatch=dispatch, user=user)
    Dispatch.objects.filter(pk=dispatch.pk).update(scheduled_for=timezone.now())
    _start_later(dispatch.pk)
    dispatch.refresh_from_db()
    return dispatch


def pause(*, dispatch: Dispatch, user) -> Dispatch:
    _require(user, _("Only editors may pause the newsletter."))
    if not Dispatch.objects.filter(
        pk=dispatch.pk, status__in=[Dispatch.Status.SCHEDULED, Dispatch.Status.SENDING]
    ).update(status=Dispatch.Status.PAUSED, note=_("Paused by %(user)s.") % {"user": user}):
        raise DispatchError(_("Only a scheduled or sending dispatch can be paused."))
    dispatch.refresh_from_db()
    return dispatch


def resume(*, dispatch: Dispatch, user) -> Dispatch:
    _require(user, _("Only editors may resume the newsletter."))
    dispatch.refresh_from_db()
    if dispatch.status not in (Dispatch.Status.PAUSED, Dispatch.Status.SENDING):
        raise DispatchError(_("Only a paused dispatch can be resumed."))
    if dispatch.started_at is None:
        _start_later(dispatch.pk)
    else:
        Dispatch.objects.filter(pk=dispatch.pk, status=Dispatch.Status.PAUSED).update(
            status=Dispatch.Status.SENDING, note="", heartbeat_at=timezone.now()
        )
        transaction.on_commit(lambda: fan_out(dispatch_id=dispatch.pk))
    dispatch.refresh_from_db()
    return dispatch


def cancel(*, dispatch: Dispatch, user) -> Dispatch:
    """Stop for good: what was not sent yet is skipped."""
    _require(user, _("Only editors may cancel the newsletter."))
    with transaction.atomic():
        if not Dispatch.objects.filter(
            pk=dispatch.pk,
            status__in=[Dispatch.Status.SCHEDULED, Dispatch.Status.SENDING,
                        Dispatch.Status.PAUSED],
        ).update(status=Dispatch.Status.CANCELLED, finished_at=timezone.now(),
                 note=_("Cancelled by %(user)s.") % {"user": user}):
            raise DispatchError(_("This dispatch is already finished."))
        dispatch.deliveries.filter(status=Delivery.Status.PENDING).update(
            status=Delivery.Status.SKIPPED, last_error="dispatch cancelled"
        )
    dispatch.refresh_from_db()
    return dispatch


def retry_failed(*, dispatch: Dispatch, user) -> int:
    """Failed deliveries of a dispatch go out again (bounced subscribers stay out)."""
    _require(user, _("Only editors may send the newsletter."))
    with transaction.atomic():
        count = dispatch.deliveries.filter(
            status=Delivery.Status.FAILED, subscriber__status=Subscriber.Status.CONFIRMED
        ).update(status=Delivery.Status.PENDING, attempts=0, next_attempt_at=None)
        if count:
            Dispatch.objects.filter(pk=dispatch.pk).update(
                status=Dispatch.Status.SENDING, finished_at=None, heartbeat_at=timezone.now()
            )
            transaction.on_commit(lambda: fan_out(dispatch_id=dispatch.pk))
    return count


def send_test(*, issue, language: str, user) -> None:
    """The issue's email in `language` to the editor's own address."""
    _require(user, _("Only editors may send test emails."))
    if not user.email:
        raise DispatchError(_("Your account has no email address to send the test to."))
    rendered = render_issue_email(issue, language, preview=True)
    parts = {
        sending.TO: user.email,
        sending.MESSAGE_ID: f"test.{issue.number}.{language}.{time.time_ns()}@bulletin",
        sending.UNSUBSCRIBE: web_version_url(issue, language),
        sending.PREFERENCES: web_version_url(issue, language),
        sending.ONE_CLICK: web_version_url(issue, language),
    }
    template = sending.MessageTemplate(
        subject=_("[Test] %(subject)s") % {"subject": rendered.subject},
        text=rendered.text, html=rendered.html, from_email=emails.sender(language),
        language=language, list_id=list_id(language),
    )
    transport = sending.Transport()
    try:
        transport.send(template, parts)
    except (sending.TemporaryFailure, sending.PermanentFailure) as exc:
        raise DispatchError(_("The test email could not be sent: %(error)s") % {"error": exc}) \
            from exc
    finally:
        transport.close()


def progress(issue) -> list[dict]:
    """Per newsletter language: the dispatch and its counts, for the admin."""
    dispatches = {d.language: d for d in issue.dispatches.all()}
    counts = {
        (row["dispatch__language"], row["status"]): row["n"]
        for row in Delivery.objects.filter(dispatch__issue=issue)
        .values("dispatch__language", "status")
        .annotate(n=Count("pk"))
    }
    confirmed = dict(
        Subscriber.objects.confirmed().values_list("language").annotate(n=Count("pk"))
    )
    missing = missing_articles(issue)
    rows = []
    for code in newsletter_languages():
        state = {s: counts.get((code, s), 0) for s in Delivery.Status.values}
        dispatch = dispatches.get(code)
        total = sum(state.values())
        done = state["sent"] + state["failed"] + state["skipped"]
        rows.append({
            "language": code,
            "language_name": dict(settings.LANGUAGES)[code],
            "dispatch": dispatch,
            "recipients": total if dispatch and dispatch.started_at else confirmed.get(code, 0),
            "counts": state,
            "percent": round(100 * done / total) if total else 0,
            "missing": missing.get(code, []),
        })
    return rows
