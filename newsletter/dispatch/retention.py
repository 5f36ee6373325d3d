"""The ledger's retention (docs/SENDING.md): per-recipient Delivery rows are
kept NEWSLETTER_LEDGER_RETENTION_DAYS after their dispatch finished; then only
the counts stored on the Dispatch row remain (ledger.counts_store).

Only settled dispatches with stored counts lose rows, in batches of short
transactions, so a prune never holds long locks or bloats one transaction;
a prune stopped midway just continues at the next run.
"""

import datetime
import logging

from django.conf import settings
from django.utils import timezone

from newsletter.models import Delivery, Dispatch

log = logging.getLogger(__name__)


def deliveries_prune(*, now=None, days: int | None = None, batch_size: int = 5000) -> dict:
    """Delete the Delivery rows (and their events) of dispatches finished more
    than `days` ago whose counts are stored. Returns rows deleted and dispatches."""
    now = now or timezone.now()
    days = settings.NEWSLETTER_LEDGER_RETENTION_DAYS if days is None else days
    cutoff = now - datetime.timedelta(days=days)
    dispatch_ids = list(Dispatch.objects.filter(
        status__in=[Dispatch.Status.SENT, Dispatch.Status.CANCELLED],
        counted_at__isnull=False, finished_at__lt=cutoff,
        deliveries__isnull=False,
    ).distinct().values_list("pk", flat=True))
    deleted = 0
    for dispatch_id in dispatch_ids:
        while True:
            ids = list(Delivery.objects.filter(dispatch_id=dispatch_id)
                       .order_by().values_list("pk", flat=True)[:batch_size])
            if not ids:
                break
            deleted += Delivery.objects.filter(pk__in=ids).delete()[1].get(
                Delivery._meta.label, 0)
    if deleted:
        log.info("ledger retention: deleted %d deliveries of %d dispatches finished before %s",
                 deleted, len(dispatch_ids), cutoff.date())
    return {"deleted": deleted, "dispatches": len(dispatch_ids)}
