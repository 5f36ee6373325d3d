"""Composable reads: `Article.objects.published().for_language("be")`.

Pure filters only; nothing here has a side effect.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

TEXT_FIELDS = ("title", "lead", "body")


def has_language_q(language: str) -> Q:
    q = Q()
    for field in TEXT_FIELDS:
        q &= ~Q(**{f"{field}_{language}": ""}) & Q(**{f"{field}_{language}__isnull": False})
    return q


class IssueQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status="published", published_at__lte=timezone.now())

    def due(self):
        """Scheduled issues whose publication time has come."""
        return self.filter(status="scheduled", published_at__lte=timezone.now())

    def latest_published(self):
        return self.published().order_by("-start_date").first()


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
