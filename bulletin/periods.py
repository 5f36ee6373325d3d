"""The week an issue covers, as a reader says it in each language.

English: "November 12 – November 18, 2018"; Russian: "12 – 18 ноября 2018";
Belarusian: "12 – 18 лістапада 2018". The date patterns are translatable
strings, so each language chooses its word order and month case (Django's
"E" format is the month in the case used with a day number).
"""

import datetime
import functools

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.formats import date_format
from django.utils.translation import get_language, override, pgettext, pgettext_lazy

DASH = " – "

# The weeks an issue may cover. Pages and the admin count weeks back and
# forward from an issue (timelines, "next week", a year's end), so dates near
# the calendar's ends (year 1 or 9999) would overflow; these bounds leave
# centuries of room on either side and are checked with a form error.
FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(2999, 12, 31)


def within_bounds(day: datetime.date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


def period_label(
    start: datetime.date, end: datetime.date, language: str | None = None, *, with_year=True
) -> str:
    return _period_label(start, end, language or get_language() or settings.LANGUAGE_CODE,
                         with_year)


# The same week in the same language always reads the same (until the
# translations are reloaded: a setting changed), and a page names several.
@functools.lru_cache(maxsize=8192)
def _period_label(start: datetime.date, end: datetime.date, language: str, with_year: bool):
    with override(language):
        if start.year != end.year:
            full = pgettext("period: a day with month and year", "F j, Y")
            return date_format(start, full) + DASH + date_format(end, full)
        day = pgettext("period: a day with its month", "F j")
        if start.month == end.month:
            first = pgettext("period: first day, when both days share the month", "F j")
        else:
            first = day
        days = date_format(start, first) + DASH + date_format(end, day)
        if not with_year:
            return days
        return pgettext("period: the days, then the year", "{days}, {year}").format(
            days=days, year=end.year
        )


# Month names as used with a day number ("E" above). Listed here so that our own
# catalogue carries them and overrides Django's: its Belarusian ones follow the
# classical orthography and have "сакавік" in the wrong case.
MONTHS_WITH_DAY = (
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)


def _forget(**kwargs):
    _period_label.cache_clear()


setting_changed.connect(_forget, dispatch_uid="bulletin-periods")
