"""Composable reads: `Article.objects.published().for_language("be")`.

Pure filters only; nothing here has a side effect.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone

from bulletin.translated import ARTICLE_FIELDS

# The scheduler (beat, or `manage.py serve`'s thread) runs its jobs every minute:
# something scheduled this long ago and still waiting means it is not running.
OVERDUE_AFTER = datetime.timedelta(minutes=3)


def overdue_before() -> datetime.datetime:
    """A scheduled time earlier than this, still not acted on, is overdue."""
    return timezone.now() - OVERDUE_AFTER


def has_language_q(language: str, prefix: str = "") -> Q:
    """Title, lead and body filled in `language`; `prefix` ("articles__") to
    filter or count through a relation."""
    q = Q()
    for field in ARTICLE_FIELDS:
        name = f"{prefix}{field}_{language}"
        q &= ~Q(**{name: ""}) & Q(**{f"{name}__isnull": False})
    return q


class IssueQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status="published", published_at__lte=timezone.now())

    def due(self):
        """Scheduled issues whose publication time has come."""
        return self.filter(status="scheduled", published_at__lte=timezone.now())

    def overdue(self):
        """Scheduled issues the scheduler should have published minutes ago."""
        return self.filter(status="scheduled", published_at__lt=overdue_before())

    def latest_published(self, language: str | None = None):
        """The latest published issue; with `language`, the latest that has a
        published article in it (an issue out only in English is not the
        Belarusian home page's issue)."""
        issues = self.published()
        if language is not None:
            # An Exists per issue: has_language_q's negations through the
            # relation would instead exclude issues with *any* untranslated article.
            article = self.model._meta.get_field("articles").related_model
            issues = issues.filter(models.Exists(
                article.objects.filter(issue=models.OuterRef("pk"), status="published")
                .filter(has_language_q(language))
            ))
        return issues.order_by("-start_date").first()

    def with_article_counts(self, languages):
        """Annotate `articles_<code>`: the issue's published articles in each language."""
        return self.annotate(
            **{
                f"articles_{code}": models.Count(
                    "articles",
                    filter=Q(articles__status="published") & has_language_q(code, "articles__"),
                )
                for code in languages
            }
        )


class ArticleQuerySet(models.QuerySet):
    def published(self):
        now = timezone.now()
        return self.filter(
            status="published",
            issue__status="published",
            issue__published_at__lte=now,
        )

    def for_language(self, language: str):
        return self.filter(has_language_q(language))

    def missing_language(self, language: str):
        return self.exclude(has_language_q(language))

    def in_topic(self, topic):
        return self.filter(topic=topic)

    def in_issue(self, issue):
        return self.filter(issue=issue)

    def for_reader(self):
        """What a reader page shows with each article: its issue, topic and lead image,
        in one query."""
        return self.select_related("issue", "topic", "lead_image")

    def in_reading_order(self):
        """Newest week first; within a week, as the issue orders its topics and articles."""
        return self.order_by("-issue__start_date", "topic__position", "position", "pk")
