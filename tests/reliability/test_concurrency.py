"""Concurrent requests on PostgreSQL: the database, not luck, keeps one of each."""


import pytest

from bulletin import services
from bulletin.models import Issue, Transition
from newsletter.models import Dispatch
from tests.concurrency import run_concurrently
from tests.factories import ArticleFactory, IssueFactory, editor

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_editors_publish_the_same_issue_at_once(need_postgres, figures):
    """Editors publishing the same issue at the same moment, from separate connections."""
    editors = [editor(f"racer{i}") for i in range(2)]
    issue = IssueFactory()
    for _ in range(3):
        article = ArticleFactory(issue=issue)
        services.article_submit(article=article, user=editors[0])
        services.article_approve(article=article, user=editors[0])
    rounds = 5
    publications = []
    for round_ in range(rounds):
        if round_:
            issue = IssueFactory()
            article = ArticleFactory(issue=issue)
            services.article_submit(article=article, user=editors[0])
            services.article_approve(article=article, user=editors[0])
        results, errors = run_concurrently(
            2, lambda i, issue=issue: services.issue_publish(issue=issue, user=editors[i])
        )
        assert len(results) == 1, errors
        assert len(errors) == 1 and isinstance(errors[0], services.WorkflowError)
        assert "already published" in str(errors[0])
        publications.append(Transition.objects.filter(
            issue=issue, article__isnull=True, to_status="published").count())
        assert Dispatch.objects.filter(issue=issue).count() == 3
        assert Issue.objects.get(pk=issue.pk).status == "published"
    figures.update(rounds=rounds, concurrent_editors=2, publications_per_issue=publications,
                   dispatches_per_issue=3)
    assert publications == [1] * rounds
