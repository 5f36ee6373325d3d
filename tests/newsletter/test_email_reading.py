"""What a subscriber reads: the issue email's subject says what the week is
about, a preheader, the title prominent, a "why you get this" line; and a
welcome email after confirming, with the latest issue, whose links work."""

import re

import pytest
from django.conf import settings
from django.core import mail

from bulletin.models import Issue
from newsletter import services
from newsletter.dispatch.content import render_issue_email
from newsletter.models import Subscriber
from tests.newsletter.helpers import post_subscribe
from tests.reader_content import sample_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    found = sample_site()
    first = Issue.objects.get(number=1)
    first.title_ru, first.summary_ru = "Осторожная неделя", "Минск ищет пространство для манёвра."
    first.save()
    return found


def test_issue_email_subject_preheader_title_and_footer(site):
    issue = Issue.objects.get(number=1)
    email = render_issue_email(issue, "ru")
    assert email.subject == "Осторожная неделя · 12 – 18 ноября 2018"
    preheader = re.search(r'<div class="preheader"[^>]*>(.*?)</div>', email.html, re.S)[1]
    assert preheader == "Минск ищет пространство для манёвра."
    assert re.search(r'<h1 class="title"[^>]*>Осторожная неделя</h1>', email.html)
    assert "потому что подписались на еженедельную рассылку Belarus Weekly" in email.html
    assert email.text.startswith("Осторожная неделя\n12 – 18 ноября 2018 · Belarus Weekly")

    english = render_issue_email(issue, "en")
    assert english.subject == "A cautious week · November 12 – November 18, 2018"
    # An issue without a title in a language: the site's name and the period.
    assert render_issue_email(Issue.objects.get(number=2), "be").subject == (
        "Belarus Weekly · 19 – 25 лістапада 2018")


def test_welcome_email_after_confirming_with_the_latest_issue(
    client, site, django_capture_on_commit_callbacks
):
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        post_subscribe(client, "new@example.org", language="ru", page_language="en")
    link = re.search(r"https?://\S+/newsletter/confirm/\S+/", mail.outbox[0].body)[0]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link.removeprefix(settings.SITE_URL))
        client.post(link.removeprefix(settings.SITE_URL))  # twice: one welcome
    assert Subscriber.objects.get(email="new@example.org").status == "confirmed"
    assert len(mail.outbox) == 2
    welcome = mail.outbox[1]
    assert welcome.subject == "Добро пожаловать в Belarus Weekly"
    assert "Подписка подтверждена" in welcome.body
    # The latest issue (No. 2) and its article in Russian.
    assert "Российские подразделения остаются после учений" in welcome.body
    assert "/ru/issues/2/troops/" in welcome.body
    assert welcome.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    urls = re.findall(r"https?://\S+/newsletter/(?:preferences|unsubscribe)/\S+/", welcome.body)
    assert len(urls) == 2
    for url in urls:
        response = client.get(url.removeprefix(settings.SITE_URL))
        assert response.status_code == 200, url
        assert 'lang="ru"' in response.content.decode()


def test_no_welcome_for_someone_who_left(site):
    subscriber = Subscriber.objects.create(email="gone@example.org", language="en",
                                           status=Subscriber.Status.UNSUBSCRIBED)
    mail.outbox = []
    assert services.subscriber_send_welcome(subscriber_id=subscriber.pk) is False
    assert mail.outbox == []
