"""A topic's trend week by week, and how long it has gone the same way.

The trend is a judgement about the week, not text: it is the same in every
language, so a timeline counts every published article of the topic, whether
or not it is translated into the page's language. When a topic has several
articles in one issue, the first in the issue's order speaks for the week.
"""

import datetime
import functools
from dataclasses import dataclass

from django.utils.translation import gettext, gettext_lazy, ngettext_lazy, pgettext_lazy

from bulletin.models import Article
from bulletin.periods import period_label

WEEK = datetime.timedelta(weeks=1)

# Drawing: one column per week, three lanes (improved above, worsened below),
# so the direction reads from the line's height as well as from colour and shape.
HEIGHT = 60
LANES = {"improved": 12, "unchanged": 30, "worsened": 48}
MIDDLE = LANES["unchanged"]
WIDTH = 600  # the drawing's natural width, spread over the weeks

# ngettext_lazy with a key: the number is taken from the mapping at "%" time.
RUN_SENTENCES = {
    "improved": ngettext_lazy(
        "The situation has improved for %(count)d week",
        "The situation has improved for %(count)d weeks",
        "count",
    ),
    "unchanged": ngettext_lazy(
        "The situation has not changed for %(count)d week",
        "The situation has not changed for %(count)d weeks",
        "count",
    ),
    "worsened": ngettext_lazy(
        "The situation has worsened for %(count)d week",
        "The situation has worsened for %(count)d weeks",
        "count",
    ),
}

# The same, short: the run at a glance (the home page's box, the chart's heading).
RUN_SHORT = {
    "improved": ngettext_lazy(
        "Improving for %(count)d week", "Improving for %(count)d weeks", "count"),
    "unchanged": ngettext_lazy(
        "Unchanged for %(count)d week", "Unchanged for %(count)d weeks", "count"),
    "worsened": ngettext_lazy(
        "Worsening for %(count)d week", "Worsening for %(count)d weeks", "count"),
}

NO_REPORT = gettext_lazy("No report this week")

# The chart's lanes, labelled in words (the trend is not told by colour alone).
LANE_LABELS = {
    "improved": gettext_lazy("Improved"),
    "unchanged": gettext_lazy("Unchanged"),
    "worsened": gettext_lazy("Worsened"),
}

# Month names under the chart's weeks: short enough for a column.
MONTHS_SHORT = {
    1: pgettext_lazy("month abbreviation", "Jan"),
    2: pgettext_lazy("month abbreviation", "Feb"),
    3: pgettext_lazy("month abbreviation", "Mar"),
    4: pgettext_lazy("month abbreviation", "Apr"),
    5: pgettext_lazy("month abbreviation", "May"),
    6: pgettext_lazy("month abbreviation", "Jun"),
    7: pgettext_lazy("month abbreviation", "Jul"),
    8: pgettext_lazy("month abbreviation", "Aug"),
    9: pgettext_lazy("month abbreviation", "Sep"),
    10: pgettext_lazy("month abbreviation", "Oct"),
    11: pgettext_lazy("month abbreviation", "Nov"),
    12: pgettext_lazy("month abbreviation", "Dec"),
}

# The topic page's chart: lane labels in a gutter on the left, one column per
# week, each week's first day under it and the month where a month begins.
CHART_GUTTER = 124
CHART_COLUMN = 34
CHART_LANES = {"improved": 18, "unchanged": 50, "worsened": 82}
CHART_PLOT = 100  # the lanes' area; the week labels go below it
CHART_HEIGHT = 140


@dataclass
class Week:
    start: datetime.date
    trend: str | None  # None: the topic was not covered that week

    @property
    def end(self) -> datetime.date:
        return self.start + datetime.timedelta(days=6)

    def label(self) -> str:
        return period_label(self.start, self.end)

    def description(self) -> str:
        if self.trend is None:
            return str(NO_REPORT)
        return str(Article.Trend(self.trend).label)


@dataclass
class Mark:
    """One week drawn in the SVG."""

    x: int
    trend: str | None
    title: str
    y: int = MIDDLE
    points: str = ""  # triangles


@dataclass
class ChartWeek:
    """One week of the topic page's chart."""

    x: int  # the column's centre
    left: int
    trend: str | None
    title: str
    day: str
    month: str  # "" unless a month begins here (or the chart does)
    latest: bool
    y: int = CHART_LANES["unchanged"]
    points: str = ""


def _triangle(trend: str | None, x: int, y: int, *, size: int) -> str:
    """A week's mark has a shape as well as a colour: a triangle pointing up for
    better, down for worse, none (a dot) for the same or no report."""
    if trend == "improved":
        return f"{x - size},{y + size - 1} {x + size},{y + size - 1} {x},{y - size}"
    if trend == "worsened":
        return f"{x - size},{y - size + 1} {x + size},{y - size + 1} {x},{y + size}"
    return ""


def _polylines(marks) -> list[str]:
    """Polylines joining consecutive reported weeks (a gap breaks the line):
    the "x,y x,y ..." of each run of `marks` that have a trend."""
    result, current = [], []
    for mark in marks:
        if mark.trend is None:
            if len(current) > 1:
                result.append(" ".join(current))
            current = []
            continue
        current.append(f"{mark.x},{mark.y}")
    if len(current) > 1:
        result.append(" ".join(current))
    return result


@dataclass
class Timeline:
    weeks: list[Week]

    @property
    def reported(self) -> list[Week]:
        return [week for week in self.weeks if week.trend]

    @property
    def since_first_report(self) -> list[Week]:
        """The weeks from the first reported one (the chart may start earlier)."""
        for index, week in enumerate(self.weeks):
            if week.trend:
                return self.weeks[index:]
        return []

    def run(self) -> tuple[str, int] | None:
        """The latest trend and for how many consecutive weeks it has held
        (a week the topic was not covered ends the run)."""
        weeks = self.weeks
        while weeks and weeks[-1].trend is None:
            weeks = weeks[:-1]
        if not weeks:
            return None
        trend, count = weeks[-1].trend, 0
        for week in reversed(weeks):
            if week.trend != trend:
                break
            count += 1
        return trend, count

    @property
    def current_trend(self) -> str | None:
        run = self.run()
        return run[0] if run else None

    def run_sentence(self) -> str:
        return self._run_text(RUN_SENTENCES)

    def run_short(self) -> str:
        """"Unchanged for 6 weeks": the run at a glance."""
        return self._run_text(RUN_SHORT)

    def _run_text(self, texts) -> str:
        run = self.run()
        if run is None:
            return ""
        trend, count = run
        return texts[trend] % {"count": count}

    def summary(self) -> str:
        """The text alternative of the drawing."""
        if not self.reported:
            return ""
        return gettext("Trend by week from %(first)s to %(last)s. %(run)s.") % {
            "first": self.weeks[0].label(),
            "last": self.weeks[-1].label(),
            "run": self.run_sentence(),
        }

    # Geometry for templates/bulletin/_timeline.html.
    @property
    def column(self) -> int:
        return max(22, min(120, WIDTH // max(len(self.weeks), 1)))

    @property
    def width(self) -> int:
        return max(len(self.weeks), 1) * self.column

    @property
    def height(self) -> int:
        return HEIGHT

    @property
    def lanes(self) -> dict[str, int]:
        return LANES

    def marks(self) -> list[Mark]:
        result = []
        for index, week in enumerate(self.weeks):
            x = index * self.column + self.column // 2
            mark = Mark(x=x, trend=week.trend, title=f"{week.label()}: {week.description()}")
            mark.y = LANES.get(week.trend, MIDDLE)
            mark.points = _triangle(week.trend, x, mark.y, size=7)
            result.append(mark)
        return result

    def lines(self) -> list[str]:
        """Polylines joining consecutive reported weeks (a gap breaks the line)."""
        return _polylines(self.marks())


    # Geometry for the topic page's chart (templates/bulletin/_timeline_chart.html).
    @property
    def chart_width(self) -> int:
        return CHART_GUTTER + max(len(self.weeks), 1) * CHART_COLUMN

    @property
    def chart_height(self) -> int:
        return CHART_HEIGHT

    @property
    def chart_plot(self) -> int:
        return CHART_PLOT

    def chart_lanes(self) -> list[tuple[str, int, str]]:
        """(trend, y, label) of each lane, better above."""
        return [(trend, y, str(LANE_LABELS[trend])) for trend, y in CHART_LANES.items()]

    @functools.cached_property
    def chart_weeks(self) -> list[ChartWeek]:
        """The chart's columns (the template walks them twice, chart_lines once)."""
        result = []
        previous_month = None
        for index, week in enumerate(self.weeks):
            left = CHART_GUTTER + index * CHART_COLUMN
            x = left + CHART_COLUMN // 2
            month = ""
            if week.start.month != previous_month:
                month = str(MONTHS_SHORT[week.start.month])
                if week.start.month == 1 and index:
                    month = f"{month} {week.start.year}"
            previous_month = week.start.month
            y = CHART_LANES.get(week.trend, CHART_LANES["unchanged"])
            mark = ChartWeek(
                x=x, left=left, trend=week.trend, y=y,
                title=f"{week.label()}: {week.description()}",
                day=str(week.start.day), month=month, latest=index == len(self.weeks) - 1,
            )
            mark.points = _triangle(week.trend, x, y, size=8)
            result.append(mark)
        return result

    def chart_lines(self) -> list[str]:
        """Polylines joining consecutive reported weeks (a gap breaks the line)."""
        return _polylines(self.chart_weeks)


def timelines(topic_ids, *, until: datetime.date | None, weeks: int = 26,
              at_least: int = 0) -> dict[int, Timeline]:
    """Each topic's timeline over at most `weeks` weeks ending with the week of
    `until` (the latest published issue), from the topic's first reported week,
    or over the last `at_least` weeks if that is longer (the weeks before the
    first report have none). One query for all the topics."""
    topic_ids = list(topic_ids)
    if until is None:
        return {pk: Timeline([]) for pk in topic_ids}
    since = until - (weeks - 1) * WEEK
    rows = (
        Article.objects.published()
        .filter(topic_id__in=topic_ids, issue__start_date__gte=since,
                issue__start_date__lte=until)
        .order_by("issue__start_date", "position", "pk")
        .values_list("topic_id", "issue__start_date", "trend")
    )
    by_topic: dict[int, dict[datetime.date, str]] = {pk: {} for pk in topic_ids}
    for topic_id, start, trend in rows:
        by_topic[topic_id].setdefault(start, trend)
    result = {}
    for pk, trends in by_topic.items():
        if not trends:
            result[pk] = Timeline([])
            continue
        start = min(trends)
        if at_least:
            start = min(start, until - (min(at_least, weeks) - 1) * WEEK)
        series = []
        while start <= until:
            series.append(Week(start=start, trend=trends.get(start)))
            start += WEEK
        result[pk] = Timeline(series)
    return result
