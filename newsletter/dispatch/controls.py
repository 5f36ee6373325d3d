"""The editors' controls: schedule, send now, pause, resume, cancel, retry the
failed, send a test. Each checks the send permission itself (the admin's
buttons and actions only call these), changes state with a conditional
UPDATE, and queues work through queue.py after commit.
"""

import time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from newsletter import emails, sending
from newsletter.dispatch import content, ledger, queue, rules, scheduling
from newsletter.dispatch.rules import DispatchError, require_send_permission
from newsletter.models import Delivery, Dispatch, Subscriber

# What a delivery skipped by a cancel records; `resend` puts exactly those back.
CANCELLED_DELIVERY = "dispatch cancelled"


def dispatch_schedule(*, issue, user) -> list[Dispatch]:
    """The issue's dispatches at the weekly send time (scheduling.dispatch_schedule_for_issue)."""
    require_send_permission(user, _("Only editors may send the newsletter."))
    return scheduling.dispatch_schedule_for_issue(issue_id=issue.pk)


def dispatch_send_now(*, dispatch: Dispatch, user) -> Dispatch:
    """Start a scheduled (or late-paused, never started) dispatch at once."""
    require_send_permission(user, _("Only editors may send the newsletter."))
    if not rules.may_send_now(dispatch):
        if dispatch.status == Dispatch.Status.CANCELLED:
            raise DispatchError(_("This dispatch was cancelled."))
        raise DispatchError(_("This dispatch has already been sent."))
    if dispatch.started_at is not None:
        return dispatch_resume(dispatch=dispatch, user=user)
    Dispatch.objects.filter(pk=dispatch.pk).update(scheduled_for=timezone.now())
    queue.dispatch_start_queue(dispatch.pk)
    dispatch.refresh_from_db()
    return dispatch


def dispatch_pause(*, dispatch: Dispatch, user) -> Dispatch:
    require_send_permission(user, _("Only editors may pause the newsletter."))
    if not Dispatch.objects.filter(
        pk=dispatch.pk, status__in=rules.PAUSABLE
    ).update(status=Dispatch.Status.PAUSED, note=_("Paused by %(user)s.") % {"user": user}):
        raise DispatchError(_("Only a scheduled or sending dispatch can be paused."))
    dispatch.refresh_from_db()
    return dispatch


def dispatch_resume(*, dispatch: Dispatch, user) -> Dispatch:
    require_send_permission(user, _("Only editors may resume the newsletter."))
    dispatch.refresh_from_db()
    if not rules.may_resume(dispatch):
        raise DispatchError(_("Only a paused dispatch can be resumed."))
    if dispatch.started_at is None:
        queue.dispatch_start_queue(dispatch.pk)
    else:
        # The failure threshold starts counting again from here (dispatch/guard.py).
        _sending_again(dispatch.pk, only_from=Dispatch.Status.PAUSED,
                       note="", resumed_at=timezone.now())
    dispatch.refresh_from_db()
    return dispatch


def _sending_again(dispatch_id: int, *, only_from=None, **fields):
    """A started dispatch sends again from where it stopped: marked sending
    (when it is `only_from`, if given), alive now, and its batches queued."""
    rows = Dispatch.objects.filter(pk=dispatch_id)
    if only_from:
        rows = rows.filter(status=only_from)
    rows.update(status=Dispatch.Status.SENDING, heartbeat_at=timezone.now(), **fields)
    queue.batches_queue(dispatch_id)


def dispatch_cancel(*, dispatch: Dispatch, user) -> Dispatch:
    """Stop for good: what was not sent yet is skipped."""
    require_send_permission(user, _("Only editors may cancel the newsletter."))
    with transaction.atomic():
        if not Dispatch.objects.filter(
            pk=dispatch.pk,
            status__in=rules.CANCELLABLE,
        ).update(status=Dispatch.Status.CANCELLED, finished_at=timezone.now(),
                 note=_("Cancelled by %(user)s.") % {"user": user}):
            raise DispatchError(_("This dispatch is already finished."))
        dispatch.deliveries.filter(status=Delivery.Status.PENDING).update(
            status=Delivery.Status.SKIPPED, last_error=CANCELLED_DELIVERY
        )
        ledger.counts_store(dispatch.pk)
    dispatch.refresh_from_db()
    return dispatch


def dispatch_resend(*, dispatch: Dispatch, user) -> Dispatch:
    """A cancelled dispatch goes out after all, to those who did not get it:
    never started, it starts now; started, the deliveries the cancel skipped
    go back to pending (sent ones stay sent, so nobody gets it twice)."""
    require_send_permission(user, _("Only editors may send the newsletter."))
    with transaction.atomic():
        locked = Dispatch.objects.select_for_update().get(pk=dispatch.pk)
        if locked.status != Dispatch.Status.CANCELLED:
            raise DispatchError(_("Only a cancelled dispatch can be re-sent."))
        note = _("Re-sent by %(user)s after a cancel.") % {"user": user}
        if locked.started_at is None:
            Dispatch.objects.filter(pk=locked.pk).update(
                status=Dispatch.Status.SCHEDULED, scheduled_for=timezone.now(),
                finished_at=None, note=note,
            )
            queue.dispatch_start_queue(locked.pk)
        else:
            locked.deliveries.filter(
                status=Delivery.Status.SKIPPED, last_error=CANCELLED_DELIVERY
            ).update(status=Delivery.Status.PENDING, last_error="", next_attempt_at=None)
            _sending_again(locked.pk, finished_at=None, note=note)
    dispatch.refresh_from_db()
    return dispatch


def dispatch_retry_failed(*, dispatch: Dispatch, user) -> int:
    """Failed deliveries of a dispatch go out again (bounced subscribers stay out)."""
    require_send_permission(user, _("Only editors may send the newsletter."))
    with transaction.atomic():
        count = dispatch.deliveries.filter(
            status=Delivery.Status.FAILED, subscriber__status=Subscriber.Status.CONFIRMED
        ).update(status=Delivery.Status.PENDING, attempts=0, next_attempt_at=None)
        if count:
            Dispatch.objects.filter(pk=dispatch.pk).update(
                status=Dispatch.Status.SENDING, finished_at=None, heartbeat_at=timezone.now(),
                counted_at=None,  # its ledger changes again: counted live until it settles
            )
            queue.batches_queue(dispatch.pk)
    return count


def dispatch_send_test(*, issue, language: str, user) -> None:
    """The issue's email in `language` to the editor's own address."""
    require_send_permission(user, _("Only editors may send test emails."))
    if not user.email:
        raise DispatchError(_("Your account has no email address to send the test to."))
    rendered = content.render_issue_email(issue, language, preview=True)
    parts = {
        sending.TO: user.email,
        sending.MESSAGE_ID: f"test.{issue.number}.{language}.{time.time_ns()}@bulletin",
        sending.UNSUBSCRIBE: content.web_version_url(issue, language),
        sending.PREFERENCES: content.web_version_url(issue, language),
        sending.ONE_CLICK: content.web_version_url(issue, language),
    }
    template = sending.MessageTemplate(
        subject=_("[Test] %(subject)s") % {"subject": rendered.subject},
        text=rendered.text, html=rendered.html, from_email=emails.sender(language),
        language=language, list_id=content.list_id(language),
    )
    transport = sending.Transport()
    try:
        transport.send(template, parts)
    except (sending.TemporaryFailure, sending.PermanentFailure) as exc:
        raise DispatchError(_("The test email could not be sent: %(error)s") % {"error": exc}) \
            from exc
    finally:
        transport.close()
