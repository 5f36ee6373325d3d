"""The worker loop: one batch task claims rows from the ledger, sends them over
one SMTP connection at the configured rate, and records each result."""

import time

from django.conf import settings

from newsletter import sending
from newsletter.dispatch import content, ledger, queue
from newsletter.models import Delivery, Dispatch


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
    limiter = sending.RateLimiter(settings.NEWSLETTER_RATE_PER_SECOND)
    personal_parts = sending.PersonalParts(dispatch.language)
    renew_every = max(settings.NEWSLETTER_LEASE_SECONDS / 3, 1)
    renewed_at = time.monotonic()
    sent = failed = retry = 0
    retry_in = None
    relaxed = ledger.relax_commits()
    try:
        for index, recipient in enumerate(recipients):
            if time.monotonic() - renewed_at > renew_every:
                ledger.renew_claim(recipients[index:])
                renewed_at = time.monotonic()
            limiter.wait()
            parts = personal_parts(recipient)
            try:
                transport.send(template, parts)
            except sending.PermanentFailure as exc:
                ledger.record_permanent_failure(recipient, str(exc), bounce=exc.bounce)
                failed += 1
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
            else:
                ledger.mark_sent(recipient)
                sent += 1
    finally:
        transport.close()
        if relaxed:
            ledger.restore_commits()
    return {"sent": sent, "failed": failed, "retry": retry, "retry_in": retry_in or 0}
