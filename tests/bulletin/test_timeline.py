"""A topic's trend week by week: the runs, their sentences in three languages
with the right plural forms, and the drawing."""

import datetime

import pytest
from django.utils.translation import override

from bulletin import services
from bulletin.models import Article
from bulletin.timeline import Timeline, Week, timelines
from tests.factories import ArticleFactory, IssueFactory, TopicFactory, editor
from tests.reader_content import approve, week

MONDAY = datetime.date(2018, 11, 12)


def line(*trends):
    return Timeline([Week(MONDAY + datetime.timedelta(weeks=i), t) for i, t in enumerate(trends)])


def test_run_counts_back_from_the_latest_reported_week():
    assert line("improved", "worsened", "worsened", "worsened").run() == ("worsened", 3)
    assert line("worsened", None, "worsened").run() == ("worsened", 1)  # a gap ends the run
    assert line("unchanged", "unchanged", None).run() == ("unchanged", 2)  # not covered lately
    assert line(None, None).run() is None
    assert Timeline([]).run() is None


@pytest.mark.parametrize("count, en, ru, be", [
    (1, "The situation has worsened for 1 week",
     "Ситуация ухудшается 1 неделю подряд", "Сітуацыя пагаршаецца 1 тыдзень запар"),
    (3, "The situation has worsened for 3 weeks",
     "Ситуация ухудшается 3 недели подряд", "Сітуацыя пагаршаецца 3 тыдні запар"),
    (5, "The situation has worsened for 5 weeks",
     "Ситуация ухудшается 5 недель подряд", "Сітуацыя пагаршаецца 5 тыдняў запар"),
    (11, "The situation has worsened for 11 weeks",
     "Ситуация ухудшается 11 недель подряд", "Сітуацыя пагаршаецца 11 тыдняў запар"),
    (21, "The situation has worsened for 21 weeks",
     "Ситуация ухудшается 21 неделю подряд", "Сітуацыя пагаршаецца 21 тыдзень запар"),
    (22, "The situation has worsened for 22 weeks",
     "Ситуация ухудшается 22 недели подряд", "Сітуацыя пагаршаецца 22 тыдні запар"),
])
def test_run_sentence_has_the_right_plural_in_each_language(count, en, ru, be):
    timeline = line(*["worsened"] * count)
    for language, expected in (("en", en), ("ru", ru), ("be", be)):
        with override(language):
            assert timeline.run_sentence() == expected


def test_other_trends_read_naturally():
    with override("ru"):
        assert line("unchanged").run_sentence() == "Ситуация не меняется 1 неделю подряд"
        assert line("improved", "improved").run_sentence() == (
            "Ситуация улучшается 2 недели подряд")
    with override("be"):
        assert line(*["unchanged"] * 6).run_sentence() == "Сітуацыя не мяняецца 6 тыдняў запар"
    with override("en"):
        assert line(*["unchanged"] * 6).run_sentence() == (
            "The situation has not changed for 6 weeks")


def test_drawing_puts_each_week_in_its_lane_with_its_shape():
    timeline = line("improved", "unchanged", None, "worsened")
    marks = timeline.marks()
    assert [m.trend for m in marks] == ["improved", "unchanged", None, "worsened"]
    assert marks[0].y < marks[1].y < marks[3].y  # better is higher
    assert marks[0].points and marks[3].points and not marks[1].points
    assert len({m.x for m in marks}) == 4
    assert timeline.lines() == [f"{marks[0].x},{marks[0].y} {marks[1].x},{marks[1].y}"]
    with override("en"):
        assert marks[2].title == "November 26 – December 2, 2018: No report this week"
        assert timeline.summary() == (
            "Trend by week from November 12 – November 18, 2018 to December 3 – December 9, "
            "2018. The situation has worsened for 1 week."
        )


@pytest.mark.django_db
def test_timelines_read_all_topics_in_one_query(django_assert_num_queries):
    user = editor()
    security, economy = TopicFactory(slug="security"), TopicFactory(slug="economy")
    for n, trends in enumerate([("worsened", "improved"), ("worsened", None), (None, "improved")]):
        issue = IssueFactory(number=n + 1, start_date=week(n))
        for topic, trend in zip((security, economy), trends, strict=True):
            if trend:
                # Two articles in one week: the first in the issue speaks for it.
                approve(ArticleFactory(issue=issue, topic=topic, trend=trend, position=1), user)
                if topic is security:
                    approve(ArticleFactory(issue=issue, topic=topic, position=2,
                                           trend=Article.Trend.IMPROVED), user)
        services.issue_publish(issue=issue, user=user)
    with django_assert_num_queries(1):
        lines = timelines([security.pk, economy.pk], until=week(2))
    assert [w.trend for w in lines[security.pk].weeks] == ["worsened", "worsened", None]
    assert [w.trend for w in lines[economy.pk].weeks] == ["improved", None, "improved"]
    assert lines[security.pk].run() == ("worsened", 2)
    # Nothing published yet: nothing to draw.
    assert timelines([security.pk], until=None)[security.pk].weeks == []
