"""The email reads right: rich text as on the site in the HTML part, clean text
in the text part; header text with line breaks refused when saved."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from bulletin.models import Language
from newsletter import emails
from tests.factories import SubscriberFactory, published_issue

pytestmark = pytest.mark.django_db

LEAD = ('<p>Talks on oil &amp; potash, <em>again</em> stalled: see '
        '<a href="https://example.org/r">the report</a>.</p>')


def test_the_lead_shows_as_on_the_site_in_html_and_as_clean_text(settings):
    SubscriberFactory(email="reader@example.org")
    published_issue(send_now=True, lead_en=LEAD)
    [message] = mail.outbox
    html = message.alternatives[0][0]
    assert "<em>again</em>" in html and "&lt;em&gt;" not in html
    assert "oil &amp; potash" in html and "&amp;amp;" not in html
    assert 'href="https://example.org/r"' in html
    assert "Talks on oil & potash, again stalled: see the report." in message.body
    assert "<em>" not in message.body and "&amp;" not in message.body and "<p>" not in message.body


@pytest.mark.parametrize("name", ["Belarus\r\nBcc: everyone@example.org", "Weekly\n",
                                  "Tab\x0bbed", "Null\x00", "Line\u2028sep"])
def test_a_sender_name_with_line_breaks_is_refused_when_saved(name):
    language = Language.objects.get(code="en")
    language.sender_name = name
    with pytest.raises(ValidationError) as caught:
        language.full_clean()
    assert "sender_name" in caught.value.message_dict


def test_a_stored_bad_sender_name_still_makes_a_valid_from_header(settings):
    Language.objects.filter(code="ru").update(sender_name="Бюллетень\r\nBcc: x@example.org")
    sender = emails.sender("ru")
    assert "\n" not in sender and "\r" not in sender
    assert sender.endswith(f"<{settings.DEFAULT_FROM_EMAIL}>")


def test_the_admin_refuses_a_sender_name_with_a_line_break(admin_client):
    language = Language.objects.get(code="be")
    response = admin_client.post(f"/admin/bulletin/language/{language.pk}/change/", {
        "code": "be", "name": language.name, "position": language.position,
        "is_live": "on", "newsletter_enabled": "on", "sender_name": "Бюлетэнь\r\nBcc: a@b.c",
    })
    assert response.status_code == 200
    assert "control characters are not allowed" in response.content.decode()
    language.refresh_from_db()
    assert "\n" not in language.sender_name
