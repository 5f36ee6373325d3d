"""Links from emails: confirm, unsubscribe, RFC 8058 one-click, preferences, own data."""

import json
import time
import urllib.error
import urllib.request

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils.translation import override

from newsletter import consent, links, services, tokens
from newsletter.models import Subscriber
from tests.newsletter.helpers import confirm_latest, ensure_languages

pytestmark = pytest.mark.django_db


def _subscriber(language="ru", confirmed=False, email="reader@example.org"):
    with override(language):
        record = consent.Consent(source="/test/", text=consent.text(),
                                 version=consent.CURRENT_VERSION, ip="192.0.2.1")
    result = services.subscriber_subscribe(email=email, language=language, consent=record)
    if confirmed:
        confirm_latest(result.subscriber_id)
    return Subscriber.objects.get(pk=result.subscriber_id)


def _path(url):
    return url.removeprefix("http://127.0.0.1:8000")


def _old_token(monkeypatch, subscriber_id, purpose, age_seconds):
    monkeypatch.setattr(
        signing.TimestampSigner, "timestamp",
        lambda self: signing.b62_encode(int(time.time()) - age_seconds),
    )
    # A confirmation link as the latest email carried it (with its request's nonce).
    nonce = (Subscriber.objects.get(pk=subscriber_id).confirmation_nonce
             if purpose == tokens.CONFIRM else "")
    token = tokens.make_token(subscriber_id, purpose, nonce=nonce)
    monkeypatch.undo()
    return token


# --- confirming ------------------------------------------------------------------------


def test_get_shows_a_button_and_does_not_confirm(client):
    sub = _subscriber()
    response = client.get(_path(links.confirm_url(sub)))
    assert response.status_code == 200
    assert '<form method="post">' in response.content.decode()
    sub.refresh_from_db()
    assert sub.status == Subscriber.Status.PENDING
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_post_confirms_and_shows_success_in_the_subscribers_language():
    sub = _subscriber("ru")
    client = Client(enforce_csrf_checks=True)  # no CSRF token needed: the link is the key
    url = _path(links.confirm_url(sub))
    response = client.post(url)
    assert response.status_code == 303
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert '<html lang="ru">' in page.content.decode()
    sub.refresh_from_db()
    assert sub.status == Subscriber.Status.CONFIRMED and sub.confirmed_at
    # Twice is harmless.
    assert client.post(url).status_code == 303
    assert Subscriber.objects.get(pk=sub.pk).confirmed_at == sub.confirmed_at


def test_tampered_token_is_400_with_a_way_back(client):
    sub = _subscriber()
    url = _path(links.confirm_url(sub))
    for bad in (url[:-3] + "xx/", url.replace("/confirm/", "/confirm/9"),
                "/ru/newsletter/confirm/garbage/"):
        for method in (client.get, client.post):
            response = method(bad)
            assert response.status_code == 400, bad
            assert reverse("newsletter:subscribe") in response.content.decode() or \
                "/newsletter/subscribe/" in response.content.decode()
    sub.refresh_from_db()
    assert sub.status == Subscriber.Status.PENDING


def test_a_token_for_another_purpose_is_invalid(client):
    sub = _subscriber()
    unsubscribe_token = tokens.make_token(sub.pk, tokens.UNSUBSCRIBE)
    response = client.post(reverse("newsletter:confirm", kwargs={"token": unsubscribe_token}))
    assert response.status_code == 400


def test_expired_token_is_410_with_its_own_page(client, monkeypatch):
    sub = _subscriber("en")
    token = _old_token(monkeypatch, sub.pk, tokens.CONFIRM, 8 * 24 * 3600)
    url = reverse("newsletter:confirm", kwargs={"token": token})
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 410
        assert "This link has expired" in response.content.decode()
    sub.refresh_from_db()
    assert sub.status == Subscriber.Status.PENDING
    # Six days old still works.
    fresh = _old_token(monkeypatch, sub.pk, tokens.CONFIRM, 6 * 24 * 3600)
    assert client.post(reverse("newsletter:confirm", kwargs={"token": fresh})).status_code == 303


def test_unknown_subscriber_is_404(client):
    sub = _subscriber("en")
    url = _path(links.confirm_url(sub))
    services.subscriber_erase(subscriber_ids=[sub.pk])
    response = client.get(url)
    assert response.status_code == 404
    assert "This subscription no longer exists" in response.content.decode()
    assert client.post(url).status_code == 404


def test_a_confirmation_link_from_before_unsubscribing_no_longer_subscribes(client):
    sub = _subscriber("en")
    url = _path(links.confirm_url(sub))
    services.subscriber_unsubscribe(subscriber_id=sub.pk)
    assert client.get(url).status_code == 410
    assert client.post(url).status_code == 410
    sub.refresh_from_db()
    assert sub.status == Subscriber.Status.UNSUBSCRIBED


def test_import_without_consent_records_the_confirmation_emails_consent():
    from tests.factories import editor

    services.subscriber_import_csv(
        data=b"email,language\nimported@example.org,be\n", filename="x.csv",
                        user=editor("y"))
    sub = Subscriber.objects.get(email="imported@example.org")
    assert sub.status == Subscriber.Status.PENDING and sub.consent_text == ""
    confirm_latest(sub.pk)
    sub.refresh_from_db()
    with override("be"):
        assert sub.consent_text == consent.text()
    assert sub.consent_source == "import: x.csv by y (confirmed by email)"
    [record] = sub.consents.all()
    assert record.confirmed_at and record.text == sub.consent_text and record.language == "be"


# --- unsubscribing -------------------------------------------------------------------------


def test_unsubscribe_page_get_shows_one_button_post_unsubscribes(client):
    sub = _subscriber("en", confirmed=True)
    url = _path(links.unsubscribe_url(sub.pk, "en"))
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('type="submit"') == 1
    assert Subscriber.objects.get(pk=sub.pk).status == Subscriber.Status.CONFIRMED
    response = Client(enforce_csrf_checks=True).post(url)
    assert response.status_code == 200
    assert "You have been unsubscribed" in response.content.decode()
    sub.refresh_from_db()
    assert sub.status == Subscriber.Status.UNSUBSCRIBED and sub.unsubscribed_at


def test_list_unsubscribe_headers():
    headers = links.list_unsubscribe_headers(42)
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = headers["List-Unsubscribe"]
    assert url.startswith("<http://127.0.0.1:8000/newsletter/one-click/") and url.endswith("/>")
    token = url[1:-1].rstrip("/").rsplit("/", 1)[1]
    assert tokens.read_token(token, tokens.UNSUBSCRIBE) == 42


def test_one_click_post_without_cookies_or_csrf_unsubscribes_idempotently():
    sub = _subscriber("en", confirmed=True)
    url = _path(links.one_click_url(sub.pk))
    client = Client(enforce_csrf_checks=True)
    response = client.post(url, "List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert response.content == b"Unsubscribed.\n"
    sub.refresh_from_db()
    first = sub.unsubscribed_at
    assert sub.status == Subscriber.Status.UNSUBSCRIBED
    again = client.post(url, "List-Unsubscribe=One-Click",
                        content_type="application/x-www-form-urlencoded")
    assert again.status_code == 200
    sub.refresh_from_db()
    assert sub.unsubscribed_at == first


def test_one_click_get_never_unsubscribes(client):
    sub = _subscriber("be", confirmed=True)
    url = _path(links.one_click_url(sub.pk))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/be/newsletter/unsubscribe/")
    assert client.head(url).status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200 and 'type="submit"' in page.content.decode()
    assert Subscriber.objects.get(pk=sub.pk).status == Subscriber.Status.CONFIRMED


def test_one_click_bad_tokens(client):
    sub = _subscriber("en", confirmed=True)
    confirm_token = tokens.make_token(sub.pk, tokens.CONFIRM)
    assert client.post(f"/newsletter/one-click/{confirm_token}/").status_code == 400
    assert client.post("/newsletter/one-click/forged/").status_code == 400
    gone = tokens.make_token(sub.pk + 1000, tokens.UNSUBSCRIBE)
    assert client.post(f"/newsletter/one-click/{gone}/").status_code == 404
    assert Subscriber.objects.get(pk=sub.pk).status == Subscriber.Status.CONFIRMED


def test_one_click_over_real_http_without_cookies(live_server):
    ensure_languages()
    sub = _subscriber("en", confirmed=True)
    url = live_server.url + _path(links.one_click_url(sub.pk))
    request = urllib.request.Request(
        url, data=b"List-Unsubscribe=One-Click", method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        assert response.read() == b"Unsubscribed.\n"
        assert "Set-Cookie" not in response.headers
    assert Subscriber.objects.get(pk=sub.pk).status == Subscriber.Status.UNSUBSCRIBED
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(urllib.request.Request(
            live_server.url + "/newsletter/one-click/tampered/", data=b"", method="POST"),
            timeout=10)
    assert err.value.code == 400


# --- preferences and data -------------------------------------------------------------------


def test_preferences_change_language(client):
    sub = _subscriber("en", confirmed=True)
    url = _path(links.preferences_url(sub.pk, "en"))
    page = client.get(url)
    assert page.status_code == 200 and "reader@example.org" in page.content.decode()
    response = client.post(url, {"action": "language", "language": "be"})
    assert response.status_code == 303
    assert response["Location"].startswith("/be/newsletter/preferences/")
    assert Subscriber.objects.get(pk=sub.pk).language == "be"
    saved = client.get(response["Location"])
    assert saved.status_code == 200 and 'role="status"' in saved.content.decode()


@pytest.mark.parametrize("data", [
    {"action": "language", "language": "xx"},
    {"action": "language"},
    {"action": "explode"},
    {},
])
def test_preferences_bad_input_is_400_and_changes_nothing(client, data):
    sub = _subscriber("en", confirmed=True)
    response = client.post(_path(links.preferences_url(sub.pk, "en")), data)
    assert response.status_code == 400
    sub.refresh_from_db()
    assert (sub.language, sub.status) == ("en", Subscriber.Status.CONFIRMED)


def test_preferences_refuses_a_language_without_newsletter(client):
    from bulletin.models import Language

    Language.objects.filter(code="ru").update(newsletter_enabled=False)
    sub = _subscriber("en", confirmed=True)
    response = client.post(_path(links.preferences_url(sub.pk, "en")),
                           {"action": "language", "language": "ru"})
    assert response.status_code == 400
    assert Subscriber.objects.get(pk=sub.pk).language == "en"


def test_preferences_unsubscribe(client):
    sub = _subscriber("en", confirmed=True)
    response = client.post(_path(links.preferences_url(sub.pk, "en")), {"action": "unsubscribe"})
    assert response.status_code == 200
    assert Subscriber.objects.get(pk=sub.pk).status == Subscriber.Status.UNSUBSCRIBED


def test_preferences_bad_tokens(client, monkeypatch):
    sub = _subscriber("en", confirmed=True)
    assert client.get("/en/newsletter/preferences/forged/").status_code == 400
    other = tokens.make_token(sub.pk, tokens.UNSUBSCRIBE)
    assert client.get(f"/en/newsletter/preferences/{other}/").status_code == 400
    # Preference links in old emails keep working.
    old = _old_token(monkeypatch, sub.pk, tokens.PREFERENCES, 400 * 24 * 3600)
    assert client.get(f"/en/newsletter/preferences/{old}/").status_code == 200


def test_forged_cross_site_post_to_preferences_is_refused(client):
    sub = _subscriber("en", confirmed=True)
    response = client.post(_path(links.preferences_url(sub.pk, "en")),
                           {"action": "unsubscribe"}, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert Subscriber.objects.get(pk=sub.pk).status == Subscriber.Status.CONFIRMED


def test_download_own_data(client):
    sub = _subscriber("ru", confirmed=True)
    token = tokens.make_token(sub.pk, tokens.PREFERENCES)
    response = client.get(reverse("newsletter:data", kwargs={"token": token}))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["email"] == "reader@example.org"
    assert data["status"] == "confirmed"
    assert data["consent"]["ip_address"] == "192.0.2.1"
    with override("ru"):
        assert data["consent"]["text"] == consent.text()
    assert client.get("/en/newsletter/preferences/forged/data.json").status_code == 400


def test_tokens_do_not_start_with_or_reveal_the_sequential_id():
    made = {i: tokens.make_token(i, tokens.UNSUBSCRIBE) for i in range(1, 201)}
    payloads = [token.split(":", 1)[0] for token in made.values()]
    assert len(set(payloads)) == 200

    for i, token in made.items():
        assert not token.startswith(signing.b62_encode(i) + ":")
        assert tokens.read_token(token, tokens.UNSUBSCRIBE) == i
    # Neighbouring ids share no common prefix beyond chance.
    assert len({payload[:2] for payload in payloads}) > 100


def test_tokens_made_before_the_new_format_still_work(client):
    """Unsubscribe links in emails sent before the change keep working."""

    sub = _subscriber("en", confirmed=True)
    old = signing.TimestampSigner(salt="newsletter.unsubscribe").sign(signing.b62_encode(sub.pk))
    assert tokens.read_token(old, tokens.UNSUBSCRIBE) == sub.pk
    response = client.post(f"/newsletter/one-click/{old}/")
    assert response.status_code == 200
    sub.refresh_from_db()
    assert sub.status == Subscriber.Status.UNSUBSCRIBED


def test_tokens_survive_a_secret_key_rotation(settings):
    token = tokens.make_token(77, tokens.PREFERENCES)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-key-" + "x" * 50
    assert tokens.read_token(token, tokens.PREFERENCES) == 77
    assert tokens.read_token(tokens.make_token(77, tokens.PREFERENCES), tokens.PREFERENCES) == 77
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(tokens.TokenInvalid):
        tokens.read_token(token, tokens.PREFERENCES)
