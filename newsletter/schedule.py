"""When the weekly newsletter goes out: NEWSLETTER_SEND_AT, e.g. "mon 09:00"
(in TIME_ZONE, or "mon 09:00 Europe/Minsk")."""

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

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
