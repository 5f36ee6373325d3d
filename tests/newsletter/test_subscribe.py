"""The subscribe box and endpoint: double opt-in, no list disclosure, abuse limits."""

import datetime
import re

import pytest
from django.utils import timezone

from bulletin.models import Language
from newsletter import consent, services
from newsletter.models import Subscriber
from tests.newsletter.helpers import (
    box_data,
    confirm_latest,
    post_subscribe,
    subscribe_url,
    subscriber,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (the email tasks) for what happens inside."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _consent(source="/en/newsletter/subscribe/"):
    return consent.Consent(source=source, text=consent.text(), version=consent.CURRENT_VERSION,
                           ip="192.0.2.1", user_agent="test")


# --- the box ---------------------------------------------------------------------


def test_box_on_the_russian_page_preselects_russian_and_lists_newsletter_languages(client):
    Language.objects.filter(code="be").update(newsletter_enabled=False)
    html = client.get("/ru/newsletter/subscribe/").content.decode()
    assert 'action="/ru/newsletter/subscribe/"' in html
    assert '<option value="ru" lang="ru" selected>' in html
    assert 'value="en"' in html and 'value="be"' not in html
    assert 'name="website"' in html and 'class="nl-hp" aria-hidden="true"' in html
    assert 'tabindex="-1"' in html
    assert 'name="csrfmiddlewaretoken"' not in html  # safe on cached, shared pages
    assert f'name="consent_version" value="{consent.CURRENT_VERSION}"' in html


def test_box_shows_the_seed_texts_in_english(client):
    html = client.get("/en/newsletter/subscribe/").content.decode()
    assert "Subscribe to our newsletter" in html
    assert "Once a week, in coordination with a group of prominent Belarusian analysts" in html
    assert "available in Belarusian, Russian, and English." in html
    assert '<option value="en" lang="en" selected>' in html
    assert ">Subscribe</button>" in html
    assert consent.text() in html


def test_get_does_not_set_cookies(client):
    response = client.get("/en/newsletter/subscribe/")
    assert response.status_code == 200
    assert not response.cookies


# --- double opt-in -----------------------------------------------------------------


def test_new_address_is_pending_with_consent_and_gets_a_russian_confirmation(
    client, mailoutbox, send
):
    with send():
        response = post_subscribe(client, "  Reader@Example.ORG ", "ru", REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 200
    row = subscriber("reader@example.org")
    assert row.email == "Reader@example.org"
    assert row.status == Subscriber.Status.PENDING
    assert row.language == "ru"
    assert row.consent_ip == "192.0.2.7"
    assert row.consent_user_agent == "Mozilla/5.0 (test)"
    assert row.consent_source.endswith("/ru/newsletter/subscribe/")
    assert row.consent_version == consent.CURRENT_VERSION
    assert row.consent_at and row.confirmation_sent_at and not row.confirmed_at
    [message] = mailoutbox
    assert message.to == ["Reader@example.org"]
    assert "List-Unsubscribe" not in message.extra_headers  # not subscribed yet
    assert "/ru/newsletter/confirm/" in message.body
    html = message.alternatives[0][0]
    assert "prefers-color-scheme: dark" in html  # the media query survives inlining
    assert 'style="' in html and "max-width: 600px" in html
    assert '<html lang="ru">' in html


def test_the_same_address_in_another_case_is_the_same_subscriber(client, send):
    with send():
        post_subscribe(client, "reader@example.org")
        post_subscribe(client, "READER@EXAMPLE.ORG")
    assert Subscriber.objects.count() == 1


def test_responses_are_identical_for_new_pending_confirmed_and_unsubscribed(client, send):
    def page(email):
        with send():
            response = post_subscribe(client, email, "be")
        assert not response.cookies
        return response.status_code, response.content, response.get("Content-Type")

    services.subscriber_subscribe(email="pending@example.org", language="en", consent=_consent())
    confirmed = services.subscriber_subscribe(email="confirmed@example.org", language="en",
                                   consent=_consent())
    confirm_latest(confirmed.subscriber_id)
    gone = services.subscriber_subscribe(
        email="gone@example.org", language="en", consent=_consent())
    services.subscriber_unsubscribe(subscriber_id=gone.subscriber_id)

    new = page("new@example.org")
    assert new[0] == 200
    for email in ("pending@example.org", "confirmed@example.org", "gone@example.org",
                  "new@example.org"):
        assert page(email) == new
    # The honeypot answers the same too.
    with send():
        bot = client.post(subscribe_url("be"), box_data("bot@example.org", "be", website="x"))
    assert (bot.status_code, bot.content) == new[:2]


def test_confirmed_address_is_unchanged_and_told_where_to_manage(client, mailoutbox, send):
    result = services.subscriber_subscribe(email="c@example.org", language="en", consent=_consent())
    confirm_latest(result.subscriber_id)
    Subscriber.objects.update(confirmation_sent_at=None)
    before = subscriber("c@example.org")
    with send():
        post_subscribe(client, "c@example.org", "ru")
    after = subscriber("c@example.org")
    assert (after.status, after.language, after.confirmed_at, after.consent_at) == (
        before.status, before.language, before.confirmed_at, before.consent_at)
    [message] = mailoutbox
    assert "/en/newsletter/preferences/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")


def test_pending_address_gets_at_most_one_email_per_interval(client, mailoutbox, send, settings):
    settings.NEWSLETTER_CONFIRMATION_INTERVAL = 300
    with send():
        for _ in range(4):
            post_subscribe(client, "p@example.org")
    assert len(mailoutbox) == 1
    Subscriber.objects.update(
        confirmation_sent_at=timezone.now() - datetime.timedelta(seconds=301)
    )
    with send():
        post_subscribe(client, "p@example.org", "be")
    assert len(mailoutbox) == 2
    # The row keeps its language until the latest request is confirmed; its email
    # is in the language that request chose.
    assert subscriber("p@example.org").language == "en"
    assert "/be/newsletter/confirm/" in mailoutbox[1].body
    confirm_latest(subscriber("p@example.org").pk)
    assert subscriber("p@example.org").language == "be"


@pytest.mark.parametrize("old_status", ["unsubscribed", "bounced"])
def test_leaving_and_coming_back_goes_through_confirmation_and_clears_old_state(
    client, mailoutbox, send, old_status
):
    result = services.subscriber_subscribe(
        email="back@example.org", language="en", consent=_consent())
    confirm_latest(result.subscriber_id)
    stamp = timezone.now() - datetime.timedelta(days=30)
    Subscriber.objects.update(
        status=old_status, unsubscribed_at=stamp if old_status == "unsubscribed" else None,
        bounced_at=stamp if old_status == "bounced" else None,
        bounce_reason="550 mailbox unavailable" if old_status == "bounced" else "",
        confirmation_sent_at=None,
    )
    with send():
        post_subscribe(client, "back@example.org", "be", source="/be/issues/3/")
    row = subscriber("back@example.org")
    # Untouched until confirmed: still suppressed, its language and consent its own.
    assert row.status == old_status
    assert row.language == "en" and row.consent_source.endswith("/en/newsletter/subscribe/")
    [message] = mailoutbox
    assert "/be/newsletter/confirm/" in message.body
    confirm_latest(row.pk)
    row.refresh_from_db()
    assert row.status == Subscriber.Status.CONFIRMED
    assert row.language == "be" and row.consent_source.endswith("/be/issues/3/")
    assert row.unsubscribed_at is None and row.bounced_at is None and row.bounce_reason == ""


def test_honeypot_stores_and_sends_nothing(client, mailoutbox, send):
    with send():
        response = client.post(subscribe_url(), box_data("bot@example.org", website="http://x"))
    assert response.status_code == 200
    assert not Subscriber.objects.exists()
    assert mailoutbox == []


def test_consent_text_is_recorded_in_the_language_the_subscriber_chose(client, send):
    """The box shows the consent sentence in the chosen language (its script
    switches it and says so in consent_shown); the request records that text
    and the language the page showed it in."""
    with send():
        post_subscribe(client, "en@example.org", language="en", page_language="ru",
                       consent_shown="en")
    record = subscriber("en@example.org").consents.get()
    assert record.text == consent.text(language="en")
    assert record.text.startswith("By clicking “Subscribe”")
    assert (record.language, record.shown_language) == ("en", "en")
    assert subscriber("en@example.org").consent_text == record.text


def test_a_form_without_its_script_records_the_chosen_text_and_the_page_language(
        client, send):
    """No JavaScript, the choice changed from the page's language (or an older
    cached page that does not say what it showed): the text is still the
    chosen language's, and the page's language is recorded as the one shown."""
    with send():
        post_subscribe(client, "be@example.org", language="be", page_language="en")
        post_subscribe(client, "ru@example.org", language="ru", page_language="en",
                       consent_shown="xx")
    for email, code in (("be@example.org", "be"), ("ru@example.org", "ru")):
        record = subscriber(email).consents.get()
        assert record.text == consent.text(language=code)
        assert (record.language, record.shown_language) == (code, "en")
    assert subscriber("ru@example.org").consent_text.startswith("Нажимая «Подписаться»")


def test_the_box_carries_the_consent_text_in_every_language_and_shows_the_pages(client):
    html = client.get("/ru/newsletter/subscribe/").content.decode()
    texts = dict(re.findall(r'<p lang="(\w+)" data-consent-for="\w+"( hidden)?>', html))
    assert texts == {"en": " hidden", "be": " hidden", "ru": ""}
    for code in ("en", "be", "ru"):
        assert f'data-consent-for="{code}"' in html
        assert consent.text(language=code) in html
    assert '<input type="hidden" name="consent_shown" value="ru">' in html
    assert "newsletter/consent.js" in html


# --- bad input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        box_data("not-an-address"),
        box_data("a" * 290 + "@example.org"),
        box_data("two@@example.org"),
        box_data("reader@example.org", language="xx"),
        box_data("reader@example.org", language=""),
        {"language": "en"},
        {"email": "reader@example.org"},
        {},
    ],
    ids=["malformed", "300-characters", "double-at", "unknown-language", "empty-language",
         "no-email", "no-language", "nothing"],
)
def test_bad_input_is_400_with_the_form_and_stores_nothing(client, mailoutbox, send, data):
    with send():
        response = client.post(subscribe_url(), data)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Subscriber.objects.exists()
    assert mailoutbox == []


def test_a_language_without_a_newsletter_is_refused(client):
    Language.objects.filter(code="be").update(newsletter_enabled=False)
    response = post_subscribe(client, "reader@example.org", "be")
    assert response.status_code == 400
    assert not Subscriber.objects.exists()


def test_other_methods_are_refused(client):
    assert client.put(subscribe_url()).status_code == 405
    assert client.delete(subscribe_url()).status_code == 405


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_REFERER": "https://evil.example/page"},
    ],
)
def test_a_post_from_another_site_is_refused(client, headers):
    response = client.post(subscribe_url(), box_data("reader@example.org"), **headers)
    assert response.status_code == 403
    assert not Subscriber.objects.exists()


def test_a_post_from_our_own_page_is_accepted_without_a_csrf_token(send):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    with send():
        response = client.post(
            subscribe_url(), box_data("reader@example.org"),
            HTTP_ORIGIN="http://testserver", HTTP_REFERER="http://testserver/en/",
        )
    assert response.status_code == 200
    assert Subscriber.objects.count() == 1


# --- rate limits ----------------------------------------------------------------------


def test_429_after_the_per_ip_limit(client, settings, send):
    settings.NEWSLETTER_SUBSCRIBE_RATE_PER_IP = "3/h"
    with send():
        codes = [post_subscribe(client, f"r{i}@example.org").status_code for i in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert Subscriber.objects.count() == 3
    # Another address from another IP is still welcome.
    with send():
        response = post_subscribe(client, "other@example.org", REMOTE_ADDR="192.0.2.99")
    assert response.status_code == 200


def test_429_after_the_per_address_limit_is_a_translated_page(client, settings, send):
    settings.NEWSLETTER_SUBSCRIBE_RATE_PER_ADDRESS = "2/h"
    with send():
        codes = [
            post_subscribe(client, "same@example.org", "ru", REMOTE_ADDR=f"192.0.2.{i}")
            .status_code for i in range(3)
        ]
    assert codes == [200, 200, 429]
    response = post_subscribe(client, "SAME@example.org", "ru", REMOTE_ADDR="192.0.2.50")
    assert response.status_code == 429
    assert response["Retry-After"]
    assert '<html lang="ru">' in response.content.decode()


# --- the service itself ---------------------------------------------------------------


def test_service_refuses_bad_input():
    with pytest.raises(services.SubscriptionError):
        services.subscriber_subscribe(email="nope", language="en", consent=_consent())
    with pytest.raises(services.SubscriptionError):
        services.subscriber_subscribe(email="a@example.org", language="de", consent=_consent())
    assert not Subscriber.objects.exists()


def test_service_claims_one_email_per_interval(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.subscriber_subscribe(
            email="a@example.org", language="en", consent=_consent())
        second = services.subscriber_subscribe(
            email="a@example.org", language="en", consent=_consent())
    assert first.created and first.email_queued
    assert not second.created and not second.email_queued
    assert len(mailoutbox) == 1


def test_a_failed_send_releases_the_claim(django_capture_on_commit_callbacks, monkeypatch):
    from newsletter import emails

    def broken(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr(emails, "send_to_subscriber", broken)
    with django_capture_on_commit_callbacks(execute=True):
        services.subscriber_subscribe(email="a@example.org", language="en", consent=_consent())
    assert subscriber("a@example.org").confirmation_sent_at is None


def test_rotating_inside_one_ipv6_64_hits_the_per_ip_limit(client, settings, send):
    settings.NEWSLETTER_SUBSCRIBE_RATE_PER_IP = "3/h"
    with send():
        codes = [
            post_subscribe(client, f"v6-{i}@example.org", REMOTE_ADDR=f"2001:db8:5:6::{i + 1:x}")
            .status_code for i in range(5)
        ]
    assert codes == [200, 200, 200, 429, 429]
    assert Subscriber.objects.count() == 3
    with send():  # the next /64 is another client
        assert post_subscribe(client, "v6-next@example.org",
                              REMOTE_ADDR="2001:db8:5:7::1").status_code == 200


def test_tagged_and_dotted_variants_share_the_per_address_limit(client, settings, send):
    settings.NEWSLETTER_SUBSCRIBE_RATE_PER_ADDRESS = "2/h"
    variants = ["ann.lee@gmail.com", "annlee+1@gmail.com", "a.n.n.lee+2@googlemail.com",
                "AnnLee@gmail.com"]
    with send():
        codes = [post_subscribe(client, address, REMOTE_ADDR=f"192.0.2.{i}").status_code
                 for i, address in enumerate(variants)]
    assert codes == [200, 200, 429, 429]
    assert Subscriber.objects.count() == 2  # each stored as given
