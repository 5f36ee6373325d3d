"""A send that protects the sender: a dispatch pauses itself when too many of
its recipients fail for good or complain, before the provider or the mailbox
providers suspend the sender.

Two rules (settings in config/settings.py):
- more than NEWSLETTER_PAUSE_FAILURE_PERCENT of the first NEWSLETTER_PAUSE_WINDOW
  attempts failed permanently or drew a complaint, judged once at least
  NEWSLETTER_PAUSE_MIN_ATTEMPTS were made (counted in the database, across
  every worker);
- NEWSLETTER_PAUSE_IN_A_ROW recipients in a row of one batch failed permanently.

Pausing is the editors' own pause (status paused, with a note saying why):
the editor resumes, which starts the count again from then, or cancels. A
batch counts its own failures in a row in memory, and asks the database every
CHECK_SECONDS and once at its end (never per recipient), so it stops within
seconds of a pause, whoever paused.
"""

import logging
import time

from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from newsletter.models import Delivery, DeliveryEvent, Dispatch

log = logging.getLogger(__name__)

CHECK_SECONDS = 3.0


def failure_note(dispatch_id: int) -> str | None:
    """Why the dispatch should pause now by the rate rule, or None. One query."""
    dispatch = Dispatch.objects.filter(pk=dispatch_id).values("resumed_at").first()
    if dispatch is None:
        return None
    rows = Delivery.objects.filter(dispatch_id=dispatch_id)
    if dispatch["resumed_at"]:
        rows = rows.filter(claimed_at__gte=dispatch["resumed_at"])
    counts = rows.aggregate(
        attempted=Count("pk", distinct=True,
                        filter=Q(status__in=[Delivery.Status.SENT, Delivery.Status.FAILED])),
        failed=Count("pk", distinct=True, filter=Q(status=Delivery.Status.FAILED)),
        complained=Count("pk", filter=Q(events__kind=DeliveryEvent.Kind.COMPLAINED),
                         distinct=True),
    )
    attempted = counts["attempted"]
    if attempted < settings.NEWSLETTER_PAUSE_MIN_ATTEMPTS or \
            attempted > settings.NEWSLETTER_PAUSE_WINDOW:
        return None
    bad = counts["failed"] + counts["complained"]
    if 100 * bad / attempted <= settings.NEWSLETTER_PAUSE_FAILURE_PERCENT:
        return None
    return _("Paused by itself: %(bad)d of the first %(attempted)d recipients failed for good "
             "or complained (more than %(percent)s%%). Check the failed deliveries and the "
             "sending setup, then resume or cancel.") % {
        "bad": bad, "attempted": attempted,
        "percent": f"{settings.NEWSLETTER_PAUSE_FAILURE_PERCENT:g}"}


def in_a_row_note(count: int) -> str:
    return _("Paused by itself: %(count)d recipients in a row failed for good. Check the "
             "failed deliveries and the sending setup, then resume or cancel.") % {
        "count": count}


def pause(dispatch_id: int, note: str) -> bool:
    """sending → paused with `note`; False when it was not sending any more."""
    paused = bool(Dispatch.objects.filter(pk=dispatch_id, status=Dispatch.Status.SENDING)
                  .update(status=Dispatch.Status.PAUSED, note=note))
    if paused:
        log.warning("dispatch %s paused itself: %s", dispatch_id, note)
    return paused


def still_sending(dispatch_id: int) -> bool:
    return Dispatch.objects.filter(pk=dispatch_id, status=Dispatch.Status.SENDING).exists()


class BatchGuard:
    """Kept by one batch: says when to stop (the dispatch paused itself, or an
    editor paused or cancelled it)."""

    def __init__(self, dispatch_id: int):
        self.dispatch_id = dispatch_id
        self.in_a_row = 0
        self.checked_at = time.monotonic()

    def after(self, *, permanent_failure: bool) -> bool:
        """Record one attempt's outcome; True when the batch must stop now."""
        self.in_a_row = self.in_a_row + 1 if permanent_failure else 0
        if self.in_a_row >= settings.NEWSLETTER_PAUSE_IN_A_ROW:
            pause(self.dispatch_id, in_a_row_note(self.in_a_row))
            return True
        if time.monotonic() - self.checked_at < CHECK_SECONDS:
            return False
        return self.check()

    def check(self) -> bool:
        """Ask the database: pause by the rate rule, or stop for another's pause."""
        self.checked_at = time.monotonic()
        note = failure_note(self.dispatch_id)
        if note:
            pause(self.dispatch_id, note)
            return True
        return not still_sending(self.dispatch_id)
