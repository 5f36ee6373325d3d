import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from bulletin.models import Article, Issue, Topic, Transition

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        list(Issue.objects.order_by("number").values_list("number", "status", "published_at")),
        list(Article.objects.order_by("pk").values_list("slug", "status", "title_en", "title_be")),
        Topic.objects.count(),
        Transition.objects.count(),
        list(get_user_model().objects.order_by("username").values_list("username", "password")),
    )


def test_load_demo_twice_changes_nothing(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "username: editor" in out and "password: bulletin-editor" in out
    assert "username: analyst" in out
    first = snapshot()
    assert len(first[0]) == 3 and all(status == "published" for _n, status, _p in first[0])
    assert first[2] == 5
    assert len(first[1]) == 12
    call_command("load_demo")
    assert snapshot() == first


def test_demo_has_missing_translations_and_workflow_history():
    call_command("load_demo")
    assert Topic.objects.get(slug="security").name_be
    missing_be = Article.objects.missing_language("be").count()
    assert missing_be == 4
    assert Article.objects.missing_language("ru").count() == 1
    assert Article.objects.published().count() == 12
    article = Article.objects.first()
    assert list(article.transitions.order_by("pk").values_list("to_status", flat=True)) == [
        "review", "approved", "published"]
    assert get_user_model().objects.get(username="analyst").groups.filter(name="Analysts")
