import pytest

from bulletin.models import Article
from bulletin.readiness import readiness_matrix
from tests.factories import ArticleFactory, IssueFactory

pytestmark = pytest.mark.django_db


def test_each_readiness_state():
    issue = IssueFactory()
    article = ArticleFactory(issue=issue, body_be="")
    article = Article.objects.get(pk=article.pk)
    assert [article.translation_state(c) for c in ("en", "be", "ru")] == [
        "ready", "missing", "ready"]
    # The English source changes after the Russian translation was saved: stale.
    article.body_en = "<p>Updated English text.</p>"
    article.save()
    article = Article.objects.get(pk=article.pk)
    assert article.translation_state("ru") == "stale"
    # The translator updates Russian: ready again.
    article.body_ru = "<p>Обновлённый текст.</p>"
    article.save()
    assert Article.objects.get(pk=article.pk).translation_state("ru") == "ready"

    matrix = readiness_matrix(issue)
    assert [c["state"] for c in matrix["rows"][0]["cells"]] == ["ready", "missing", "ready"]
    totals = dict(matrix["totals"])
    assert totals["be"] == {"missing": 1, "stale": 0, "ready": 0}
