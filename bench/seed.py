"""Content and subscribers for the benchmarks, written to the bench database.

The texts are the demo content's (bulletin/demo_content.py), used cyclically,
so emails and pages have realistic lengths in English, Belarusian and Russian.
"""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from bulletin import roles, services
from bulletin.demo_content import ISSUES, TOPICS, author_fields, author_names
from bulletin.models import Article, Byline, Issue, Topic
from newsletter.models import Subscriber

LANGUAGES = ("en", "be", "ru")
ARTICLE_SPECS = [a for spec in ISSUES for a in spec["articles"]]  # 12 articles
FIRST_MONDAY = datetime.date(2015, 1, 5)


def _translated(prefix: str, values: dict) -> dict:
    return {f"{prefix}_{code}": text for code, text in values.items()}


def add_bylines(made: list[tuple[Article, str]]) -> None:
    """Bylines for bulk-created articles, from each one's demo "authors" text."""
    authors = {}
    bylines = []
    for article, names in made:
        for position, name in enumerate(author_names(names)):
            if name not in authors:
                authors[name] = services.author_get_or_create(name=name, **author_fields(name))
            bylines.append(Byline(article=article, author=authors[name], position=position))
    Byline.objects.bulk_create(bylines, batch_size=1000)


def editor():
    user, created = get_user_model().objects.get_or_create(
        username="bench-editor", defaults={"is_staff": True, "email": "bench@example.org"}
    )
    if created:
        user.groups.add(Group.objects.get(name=roles.EDITORS))
    return get_user_model().objects.get(pk=user.pk)  # fresh permission cache


def topics() -> dict[str, Topic]:
    found = {}
    for spec in TOPICS:
        found[spec["slug"]], _ = Topic.objects.get_or_create(
            slug=spec["slug"],
            defaults={"position": spec["position"], **_translated("name", spec["name"]),
                      **_translated("description", spec["description"])},
        )
    return found


def monday(week: int) -> datetime.date:
    return FIRST_MONDAY + datetime.timedelta(weeks=week)


# --- Sending ----------------------------------------------------------------------


def subscribers(total: int):
    """`total` subscribers, languages in turn, all pending until `confirm()`."""
    now = timezone.now()
    existing = Subscriber.objects.count()
    batch = []
    for i in range(existing, total):
        batch.append(Subscriber(
            email=f"reader-{i:06d}@example.org", language=LANGUAGES[i % 3],
            status=Subscriber.Status.PENDING, consent_at=now, consent_source="bench",
        ))
        if len(batch) == 5000:
            Subscriber.objects.bulk_create(batch)
            batch = []
    if batch:
        Subscriber.objects.bulk_create(batch)


def confirm(count: int) -> list[str]:
    """Exactly the first `count` subscribers confirmed, the rest pending; their addresses."""
    table = Subscriber._meta.db_table
    ids = list(Subscriber.objects.order_by("pk").values_list("pk", flat=True)[:count])
    if len(ids) < count:
        raise RuntimeError(f"only {len(ids)} subscribers seeded, {count} needed")
    last = ids[-1] if ids else 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = CASE WHEN id <= %s THEN 'confirmed' "  # noqa: S608
            f"ELSE 'pending' END", [last])
    return list(Subscriber.objects.filter(status="confirmed").values_list("email", flat=True))


def reset_ledger():
    """Every run starts from an empty ledger, with fresh planner statistics."""
    with connection.cursor() as cursor:
        # The delivery events (bounces, complaints) refer to the deliveries: both go.
        cursor.execute("TRUNCATE newsletter_delivery, newsletter_deliveryevent")
        cursor.execute("VACUUM ANALYZE newsletter_delivery")
        cursor.execute("VACUUM ANALYZE newsletter_subscriber")


def newsletter_issue(number: int, week: int, *, user, topic_map) -> Issue:
    """An issue with the demo's 12 articles, approved and ready to publish."""
    spec = ISSUES[number % len(ISSUES)]
    issue = Issue.objects.create(
        number=number, start_date=monday(week),
        **_translated("title", spec["title"]), **_translated("summary", spec["summary"]),
    )
    made = Article.objects.bulk_create(
        Article(
            issue=issue, topic=topic_map[item["topic"]], slug=item["slug"], trend=item["trend"],
            position=position, status=Article.Status.APPROVED,
            **_translated("title", item["title"]), **_translated("lead", item["lead"]),
            **_translated("body", item["body"]),
        )
        for position, item in enumerate(ARTICLE_SPECS, start=1)
    )
    add_bylines([(article, item["authors"])
                 for article, item in zip(made, ARTICLE_SPECS, strict=True)])
    return issue


def publish(issue, *, user, send_now: bool, newsletter: bool = True):
    return services.issue_publish(issue=issue, user=user, send_now=send_now,
                                  newsletter=newsletter)


# --- Reader pages ---------------------------------------------------------------------


def reader_site(issues: int = 200, articles_per_issue: int = 10, first_number: int = 1,
                first_week: int = 0):
    """`issues` published weekly issues with `articles_per_issue` articles each, in three
    languages (every seventh article has no Belarusian translation)."""
    topic_map = topics()
    now = timezone.now()
    specs = itertools.cycle(ARTICLE_SPECS)
    made = []
    for k in range(issues):
        spec = ISSUES[k % len(ISSUES)]
        start = monday(first_week + k)
        published = timezone.make_aware(
            datetime.datetime.combine(start + datetime.timedelta(days=7), datetime.time(9)))
        made.append(Issue(
            number=first_number + k, start_date=start,
            end_date=start + datetime.timedelta(days=6),
            status=Issue.Status.PUBLISHED, published_at=min(published, now),
            **_translated("title", spec["title"]), **_translated("summary", spec["summary"]),
        ))
    Issue.objects.bulk_create(made)
    issue_rows = list(Issue.objects.filter(number__gte=first_number,
                                           number__lt=first_number + issues).order_by("number"))
    articles = []
    names = []
    serial = 0
    for issue in issue_rows:
        for position in range(1, articles_per_issue + 1):
            item = next(specs)
            serial += 1
            texts = {**_translated("title", item["title"]), **_translated("lead", item["lead"]),
                     **_translated("body", item["body"])}
            if serial % 7 == 0:
                texts.update(title_be="", lead_be="", body_be="")
            articles.append(Article(
                issue=issue, topic=topic_map[item["topic"]], slug=f"{item['slug']}-{serial}",
                trend=item["trend"], position=position,
                status=Article.Status.PUBLISHED, published_at=issue.published_at, **texts,
                text_changed_at={code: issue.published_at.isoformat() for code in LANGUAGES},
            ))
            names.append(item["authors"])
            if len(articles) == 500:
                add_bylines(list(zip(Article.objects.bulk_create(articles), names, strict=True)))
                articles, names = [], []
    if articles:
        add_bylines(list(zip(Article.objects.bulk_create(articles), names, strict=True)))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE bulletin_article")
        cursor.execute("VACUUM ANALYZE bulletin_issue")
