"""When an issue's newsletter goes out: one dispatch per language at the weekly
send time NEWSLETTER_SEND_AT (e.g. "mon 09:00" in TIME_ZONE, or
"mon 09:00 Europe/Minsk"), and the beat job that starts what is due.

A scheduled dispatch found more than NEWSLETTER_MAX_LATENESS late is paused
for an editor instead of going out late.
"""

import datetime
import logging
import zoneinfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bulletin.models import Issue
from newsletter.dispatch import content, ledger, queue
from newsletter.dispatch.rules import DispatchError
from newsletter.models import Dispatch

log = logging.getLogger(__name__)

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def parse_send_at(value: str) -> tuple[int, datetime.time, zoneinfo.ZoneInfo]:
    parts = value.split()
    try:
        weekday = WEEKDAYS.index(parts[0].lower()[:3])
        hour, minute = (int(x) for x in parts[1].split(":"))
        at = datetime.time(hour, minute)
        zone = zoneinfo.ZoneInfo(parts[2] if len(parts) > 2 else settings.TIME_ZONE)
    except (IndexError, ValueError, zoneinfo.ZoneInfoNotFoundError):
        raise ImproperlyConfigured(
            f"NEWSLETTER_SEND_AT={value!r} is not like 'mon 09:00' or 'mon 09:00 Europe/Minsk'."
        ) from None
    return weekday, at, zone


def next_send_time(after: datetime.datetime | None = None) -> datetime.datetime:
    """The first weekly send time at or after `after` (default: now)."""
    weekday, at, zone = parse_send_at(settings.NEWSLETTER_SEND_AT)
    after = (after or timezone.now()).astimezone(zone)
    day = after.date() + datetime.timedelta(days=(weekday - after.weekday()) % 7)
    candidate = datetime.datetime.combine(day, at, tzinfo=zone)
    if candidate < after:
        candidate += datetime.timedelta(days=7)
    return candidate


def dispatch_schedule_for_issue(
    *, issue_id: int, send_now: bool = False, languages: list[str] | None = None
) -> list[Dispatch]:
    """One dispatch per newsletter language (or per one of `languages`) in which
    the issue has articles (content.languages_with_articles; the others get
    none), at the weekly send time (or now). Idempotent: existing dispatches are
    left as they are."""
    issue = Issue.objects.get(pk=issue_id)
    if issue.status != Issue.Status.PUBLISHED:
        raise DispatchError(_("Issue %(number)s is not published; it cannot be sent.")
                            % {"number": issue.number})
    when = timezone.now() if send_now else next_send_time(issue.published_at)
    dispatches = []
    for code in content.languages_with_articles(issue):
        if languages is not None and code not in languages:
            continue
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
            queue.dispatch_start_queue(dispatch.pk)
    return dispatches


def on_issue_published(sender, issue_id, send_now=False, newsletter=True, **kwargs):
    if newsletter:
        dispatch_schedule_for_issue(issue_id=issue_id, send_now=send_now)


def dispatch_start_due(now=None) -> dict:
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
                queue.staff_notice_queue("dispatch_paused", dispatch_id=dispatch.pk)
            continue
        if ledger.start(dispatch_id=dispatch.pk):
            started.append(dispatch.pk)
    return {"started": started, "paused": paused}
