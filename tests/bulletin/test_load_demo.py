import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from bulletin.models import Article, Issue, Topic, Transition

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def development_settings(settings):
    """`make run` has DEBUG on (pytest-django turns it off for tests)."""
    settings.DEBUG = True


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
    assert [status for _n, status, _p in first[0]] == ["published", "published", "draft"]
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
    assert Article.objects.published().count() == 8
    assert Article.objects.filter(status="approved").count() == 4
    article = Article.objects.published().first()
    assert list(article.transitions.order_by("pk").values_list("to_status", flat=True)) == [
        "review", "approved", "published"]
    assert get_user_model().objects.get(username="analyst").groups.filter(name="Analysts")


def test_publishing_the_demo_issue_sends_the_demo_subscribers_their_newsletter(
        django_capture_on_commit_callbacks):
    from django.core import mail

    from bulletin import services
    from newsletter.models import Dispatch

    call_command("load_demo")
    assert not Dispatch.objects.exists()  # back issues go out without a newsletter
    issue = Issue.objects.get(status="draft")
    editor = get_user_model().objects.get(username="editor")
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_publish(issue=issue, user=editor, send_now=True)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(["anna@example.org", "john@example.org", "alesia@example.org",
                                 "mikalai@example.org", "olga@example.org", "sergei@example.org"])
    russian = next(m for m in mail.outbox if m.to == ["olga@example.org"])
    assert issue.period_label("ru") in russian.subject


def test_load_demo_refuses_with_debug_off(settings):
    from django.core.management import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo")
    assert not get_user_model().objects.exists()
    assert not Issue.objects.exists()


def test_forced_load_demo_with_debug_off_prints_random_passwords_once(settings, capsys):
    settings.DEBUG = False
    call_command("load_demo", "--force")
    out = capsys.readouterr().out
    assert "bulletin-admin" not in out and "bulletin-editor" not in out
    printed = dict(
        line.split("username:")[1].split("password:") for line in out.splitlines()
        if "username:" in line
    )
    printed = {name.strip(): password.strip() for name, password in printed.items()}
    assert set(printed) == {"admin", "editor", "analyst"}
    assert len(set(printed.values())) == 3
    for username, password in printed.items():
        user = get_user_model().objects.get(username=username)
        assert len(password) >= 20 and user.check_password(password)
        assert not user.check_password(f"bulletin-{username}")
    call_command("load_demo", "--force")
    again = capsys.readouterr().out
    assert not set(printed.values()) & set(again.split())
    assert again.count("(unchanged)") == 3
