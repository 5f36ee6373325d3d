import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from bulletin import services
from newsletter.models import Dispatch
from tests.factories import (
    ArticleFactory,
    IssueFactory,
    SubscriberFactory,
    analyst,
    editor,
    published_issue,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(editor())
    return client


def action_url(issue, language, action):
    return reverse("admin:newsletter_action", args=[issue.pk, language, action])


def test_issue_page_shows_the_newsletter_panel_and_missing_translations(editor_client):
    issue = published_issue(1, body_be="", title_en="Untranslated piece")
    SubscriberFactory(language="ru")
    SubscriberFactory(language="ru", email="two@example.org")
    page = editor_client.get(reverse("admin:bulletin_issue_change", args=[issue.pk]))
    html = page.content.decode()
    assert 'id="newsletter"' in html
    assert html.count("nl-progress") == 3
    assert "has no Belarusian translation and will be left out" in html
    assert "Untranslated piece" in html
    ru_row = html.split('data-language="ru"')[1].split("</tr>")[0]
    assert '<td class="nl-recipients">2</td>' in ru_row
    assert "Send now" in html


def test_preview_shows_the_email_in_each_language(editor_client):
    issue = IssueFactory()
    ArticleFactory(issue=issue, status="approved", title_ru="Заголовок по-русски")
    page = editor_client.get(reverse("admin:newsletter_preview", args=[issue.pk, "ru"]))
    html = page.content.decode()
    assert "Заголовок по-русски" in html and issue.period_label("ru") in html
    assert "bulletin-marker" not in html


def test_send_test_and_send_now_from_the_panel(editor_client, django_capture_on_commit_callbacks):
    issue = published_issue(1)
    SubscriberFactory(email="reader@example.org")
    response = editor_client.post(action_url(issue, "en", "test"))
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["editor@example.org"]]
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(action_url(issue, "en", "send_now"))
    assert [m.to for m in mail.outbox][1:] == [["reader@example.org"]]
    assert Dispatch.objects.get(issue=issue, language="en").status == "sent"
    # Sending again is refused with a message, not sent twice.
    response = editor_client.post(action_url(issue, "en", "send_now"), follow=True)
    assert "already been sent" in response.content.decode()
    assert len(mail.outbox) == 2
    progress = editor_client.get(reverse("admin:newsletter_progress", args=[issue.pk])).json()
    assert progress["en"]["sent"] == 1 and progress["en"]["percent"] == 100


def test_analyst_cannot_send_or_preview(client):
    issue = published_issue(1)
    client.force_login(analyst())
    for action in ("send_now", "pause", "cancel", "test", "schedule"):
        assert client.post(action_url(issue, "en", action)).status_code == 403
    assert client.get(reverse("admin:newsletter_preview", args=[issue.pk, "en"])).status_code == 403
    assert set(Dispatch.objects.values_list("status", flat=True)) == {"scheduled"}
    assert not mail.outbox


def test_unknown_language_or_action_is_refused(editor_client):
    issue = published_issue(1)
    assert editor_client.post(action_url(issue, "xx", "send_now")).status_code == 403
    assert editor_client.post(action_url(issue, "en", "explode")).status_code == 403
    assert editor_client.get(action_url(issue, "en", "send_now")).status_code == 405


def test_send_newsletter_language_schedules_only_that_language(capsys):
    """--language does what it says: the other languages get no dispatch."""
    user = editor("cli-publisher")
    issue = IssueFactory()
    article = ArticleFactory(issue=issue)
    services.article_submit(article=article, user=user)
    services.article_approve(article=article, user=user)
    services.issue_publish(issue=issue, user=user, newsletter=False)
    call_command("send_newsletter", str(issue.number), "--language", "ru")
    assert list(Dispatch.objects.filter(issue=issue).values_list("language", flat=True)) == ["ru"]
    assert capsys.readouterr().out.startswith("ru: Scheduled")


def test_send_newsletter_command(capsys, django_capture_on_commit_callbacks):
    issue = published_issue(1)
    SubscriberFactory(email="cli@example.org", language="be")
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_newsletter", str(issue.number), "--language", "be", "--now")
    assert [m.to for m in mail.outbox] == [["cli@example.org"]]
    out = capsys.readouterr().out
    assert "be: Sent" in out and "1 recipients" in out
    with pytest.raises(CommandError, match="no issue number"):
        call_command("send_newsletter", "9999")
    with pytest.raises(CommandError, match="not a newsletter language"):
        call_command("send_newsletter", str(issue.number), "--language", "de")
    draft = IssueFactory()
    with pytest.raises(CommandError, match="not published"):
        call_command("send_newsletter", str(draft.number))


def test_web_version(client):
    issue = published_issue(1, title_ru="Веб-версия")
    page = client.get(f"/ru/newsletter/issues/{issue.number}/")
    html = page.content.decode()
    assert page.status_code == 200 and "Веб-версия" in html
    assert "unsubscribe" not in html.lower()
    assert client.get("/ru/newsletter/issues/99999/").status_code == 404
    draft = IssueFactory()
    assert client.get(f"/ru/newsletter/issues/{draft.number}/").status_code == 404
