"""The week's picture at a glance: the topic page's chart (at least twelve
weeks, every week labelled, the lanes named in words), the run said briefly
with the right plural in each language, and the "Situation in Belarus" box
giving each topic's current trend and how long it has held."""

import datetime
import re

import pytest
from django.utils.translation import override

from bulletin import services
from bulletin.timeline import Timeline, Week
from tests.bulletin.test_reader_pages import text
from tests.factories import ArticleFactory, IssueFactory, TopicFactory, editor
from tests.reader_content import approve, sample_site, week

MONDAY = datetime.date(2018, 11, 12)


def line(*trends):
    return Timeline([Week(MONDAY + datetime.timedelta(weeks=i), t) for i, t in enumerate(trends)])


@pytest.mark.parametrize("trends, en, ru, be", [
    (["unchanged"] * 6, "Unchanged for 6 weeks", "Без изменений 6 недель", "Без змен 6 тыдняў"),
    (["worsened", "improved", "improved"], "Improving for 2 weeks", "Улучшается 2 недели",
     "Паляпшаецца 2 тыдні"),
    (["worsened"], "Worsening for 1 week", "Ухудшается 1 неделю", "Пагаршаецца 1 тыдзень"),
    (["unchanged"] * 21, "Unchanged for 21 weeks", "Без изменений 21 неделю",
     "Без змен 21 тыдзень"),
    (["worsened"] * 12, "Worsening for 12 weeks", "Ухудшается 12 недель",
     "Пагаршаецца 12 тыдняў"),
])
def test_the_run_at_a_glance_reads_naturally_in_each_language(trends, en, ru, be):
    timeline = line(*trends)
    for code, expected in (("en", en), ("ru", ru), ("be", be)):
        with override(code):
            assert timeline.run_short() == expected
    assert Timeline([]).run_short() == ""


@pytest.fixture
def long_topic(db):
    """A topic covered in 14 of the last 15 weeks, the last 6 unchanged."""
    user = editor()
    topic = TopicFactory(slug="economy", name_en="Economy", name_ru="Экономика",
                         name_be="Эканоміка")
    trends = (["worsened"] * 4 + ["improved"] * 3 + [None] + ["worsened"]
              + ["unchanged"] * 6)
    other = TopicFactory(slug="society")
    for n, trend in enumerate(trends):
        issue = IssueFactory(number=n + 1, start_date=week(n))
        approve(ArticleFactory(issue=issue, topic=topic if trend else other,
                               trend=trend or "unchanged", slug=f"a{n}",
                               title_ru=f"Статья {n}", title_be=f"Артыкул {n}"), user)
        services.issue_publish(issue=issue, user=user)
    return topic


def chart(html):
    return re.search(r'<figure class="timeline timeline--full">.*?</figure>', html, re.S)[0]


@pytest.mark.parametrize("code, lanes, run, months", [
    ("en", ["Improved", "Unchanged", "Worsened"], "Unchanged for 6 weeks",
     ["Nov", "Dec", "Jan 2019", "Feb"]),
    ("ru", ["Улучшение", "Без изменений", "Ухудшение"], "Без изменений 6 недель",
     ["ноя", "дек", "янв 2019", "фев"]),
    ("be", ["Паляпшэнне", "Без змен", "Пагаршэнне"], "Без змен 6 тыдняў",
     ["ліс", "сне", "сту 2019", "лют"]),
])
def test_the_topic_chart_labels_every_week_and_names_the_lanes(client, long_topic, code,
                                                                lanes, run, months):
    html = client.get(f"/{code}/topics/economy/").content.decode()
    drawn = chart(html)
    days = re.findall(r'<text class="timeline__day[^"]*"[^>]*>(\d+)</text>', drawn)
    # Fifteen weeks, each with its first day under it: 12, 19, 26 November, 3 December ...
    assert len(days) == 15 and days[:5] == ["12", "19", "26", "3", "10"]
    assert re.findall(r'<text class="timeline__month"[^>]*>([^<]+)</text>', drawn) == months
    assert re.findall(r'<text class="timeline__lane-label[^"]*"[^>]*>([^<]+)</text>',
                      drawn) == lanes
    marks = re.findall(r'<g class="timeline__week timeline__week--(\w+)">', drawn)
    assert marks == (["worsened"] * 4 + ["improved"] * 3 + ["none"] + ["worsened"]
                     + ["unchanged"] * 6)
    assert "<details" not in drawn  # vnu: no <details> inside <figure>
    # The current run in the box, at a glance.
    aside = re.search(r'<section class="aside-box situation".*?</section>', html, re.S)[0]
    assert run in text_of(aside)


def text_of(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_young_topic_still_gets_twelve_weeks(client, db):
    sample_site()
    html = client.get("/en/topics/security/").content.decode()
    drawn = chart(html)
    assert len(re.findall(r'<text class="timeline__day', drawn)) == 12
    assert drawn.count("timeline__week--none") == 10
    # The week-by-week list starts with the topic's first report, not with empty weeks.
    details = re.search(r"<details.*?</details>", html, re.S)[0]
    assert "No report this week" not in details and details.count("<li>") == 2


def test_the_situation_box_gives_each_topics_trend_and_run(client, db):
    sample_site()
    page = client.get("/ru/")
    aside = re.search(r'<section class="aside-box situation".*?</section>',
                      page.content.decode(), re.S)[0]
    # The Russian home shows issue 2 (the latest with Russian articles).
    assert "19 – 25 ноября" in text_of(aside)
    assert "Вопросы безопасности Ухудшается 1 неделю" in text_of(aside)
    assert "Экономика Ухудшается 1 неделю" in text_of(aside)
    assert 'class="trend trend--worsened"' in aside
    english = text(client.get("/en/issues/1/"))
    assert "Situation in Belarus" in english and "Worsening for 1 week" in english
