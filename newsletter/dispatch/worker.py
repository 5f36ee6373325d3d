"""The worker loop: one batch task claims rows from the ledger, sends them over
one SMTP connection at the rate shared by all workers (throttle.py), records
each result, and stops when the dispatch pauses (guard.py)."""

import contextlib
import logging
import time

from django.conf import settings

from newsletter import sending
from newsletter.dispatch import content, guard, ledger, queue, throttle
from newsletter.models import Delivery, Dispatch

log = logging.getLogger(__name__)


def send_batch(*, dispatch_id: int, size: int | None = None) -> dict:
    """Claim one batch, send it over one SMTP connection, record each result."""
    size = size or settings.NEWSLETTER_BATCH_SIZE
    ids = ledger.claim_batch(dispatch_id, size)
    if not ids:
        ledger.finish_if_done(dispatch_id=dispatch_id)
        return {"sent": 0}
    dispatch = Dispatch.objects.select_related("issue").get(pk=dispatch_id)
    recipients = [
        sending.Recipient(pk, subscriber_id, email, content.message_id(dispatch, subscriber_id))
        for pk, subscriber_id, email in Delivery.objects.filter(
            pk__in=ids, status=Delivery.Status.SENDING
        ).values_list("pk", "subscriber_id", "subscriber__email").order_by("pk")
    ]
    template = content.issue_template(dispatch)
    outcome = _send_all(dispatch, template, recipients)
    if outcome["retry"]:
        # One follow-up batch when the earliest retry is due; the sweeper covers
        # the case where that task is lost (a Redis restart).
        queue.batch_retry_queue(dispatch_id, outcome["retry_in"])
    ledger.finish_if_done(dispatch_id=dispatch_id)
    return outcome


def _send_all(dispatch, template, recipients) -> dict:
    transport = sending.Transport()
    limiter = throttle.Throttle()
    personal_parts = sending.PersonalParts(dispatch.language)
    renew_every = max(settings.NEWSLETTER_LEASE_SECONDS / 3, 1)
    renewed_at = time.monotonic()
    sent = failed = retry = 0
    retry_in = None
    relaxed = ledger.relax_commits()
    stop = guard.BatchGuard(dispatch.pk)
    index = -1
    try:
        for index, recipient in enumerate(recipients):
            permanent = False
            if time.monotonic() - renewed_at > renew_every:
                ledger.renew_claim(recipients[index:])
                renewed_at = time.monotonic()
            try:
                limiter.wait()
            except throttle.HourlyCapReached as exc:
                # The hour's messages are out: the rest wait for the next hour.
                retry_in = exc.retry_in
                retry += ledger.release(recipients[index:], retry_in, "")
                break
            try:
                transport.send(template, personal_parts(recipient))
            except sending.PermanentFailure as exc:
                ledger.record_permanent_failure(recipient, str(exc), bounce=exc.bounce)
                failed += 1
                permanent = True
            except sending.ServerUnavailable as exc:
                # No server to talk to: nobody's attempt counts; the whole rest
                # of the batch waits and tries again.
                retry_in = ledger.backoff_seconds(1)
                retry += ledger.release(recipients[index:], retry_in, str(exc))
                break
            except sending.TemporaryFailure as exc:
                delay = ledger.record_temporary_failure(recipient, str(exc))
                if delay is None:
                    failed += 1
                else:
                    retry += 1
                    retry_in = delay if retry_in is None else min(retry_in, delay)
                if exc.connection_lost:
                    # Give the rest back rather than hammer a server that hung up.
                    retry += ledger.release(recipients[index + 1 :], delay or 0, "")
                    break
            except Exception as exc:
                # A poison row (an address or value nothing above expected): this
                # recipient alone is retried later, then failed with the reason;
                # the batch goes on. The connection may be mid-command: start afresh.
                log.exception("delivery %s: unexpected error while sending", recipient.delivery_id)
                transport.close()
                delay = ledger.record_temporary_failure(
                    recipient, f"unexpected error: {type(exc).__name__}: {exc}"[:500])
                if delay is None:
                    failed += 1
                else:
                    retry += 1
                    retry_in = delay if retry_in is None else min(retry_in, delay)
            else:
                ledger.mark_sent(recipient)
                sent += 1
            if stop.after(permanent_failure=permanent):
                # Paused (by itself or an editor) or cancelled: the rest go back
                # to pending, unattempted, for when it is resumed.
                ledger.release(recipients[index + 1 :], 0, "")
                ledger.skip_if_cancelled(dispatch.pk)
                break
        else:
            stop.check()  # the batch's results may pass the threshold
    except BaseException:
        # Something stopped the whole batch (the database went away, the task's
        # time limit): give back what was not attempted, so no row waits in
        # `sending` for its lease to expire. The row in flight stays claimed.
        with contextlib.suppress(Exception):
            ledger.release(recipients[index + 1 :], 0, "")
        raise
    finally:
        transport.close()
        if relaxed:
            ledger.restore_commits()
    return {"sent": sent, "failed": failed, "retry": retry, "retry_in": retry_in or 0}
