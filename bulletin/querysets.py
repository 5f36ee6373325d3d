"""Composable reads: `Article.objects.published().for_language("be")`.

Pure filters only; nothing here has a side effect.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from bulletin.translated import ARTICLE_FIELDS


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

    def latest_published(self):
        return self.published().order_by("-start_date").first()

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
