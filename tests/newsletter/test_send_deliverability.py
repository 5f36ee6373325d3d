"""Sending to a real SMTP server (aiosmtpd): international addresses with and
without SMTPUTF8, a poison row, VERP return paths, DKIM on the newsletter, and
the failure threshold pausing a send to a server that refuses most recipients."""

import base64

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from config.env import dkim_settings
from newsletter import addresses, verp
from newsletter.dispatch import controls, guard, ledger, worker
from newsletter.models import Delivery, Dispatch
from tests.factories import SubscriberFactory, published_issue
from tests.smtp import SMTPSink

pytestmark = pytest.mark.django_db

INTERNATIONAL = ["reader@пример.рф", "пётр@пример.бел", "anna@bücher.example",
                 "plain@example.org"]


@pytest.fixture
def sink_without_smtputf8(settings):
    sink = SMTPSink(smtputf8=False).start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield sink
    sink.stop()


def send(emails, **issue_kwargs):
    for email in emails:
        SubscriberFactory(email=email)
    issue = published_issue(**issue_kwargs)
    dispatch = Dispatch.objects.get(issue=issue, language="en")
    ledger.start(dispatch_id=dispatch.pk)
    worker.send_batch(dispatch_id=dispatch.pk)
    dispatch.refresh_from_db()
    return dispatch


def outcome(dispatch):
    return {d.subscriber.email: (d.status, d.last_error)
            for d in dispatch.deliveries.select_related("subscriber")}


def test_international_addresses_all_go_out_with_smtputf8(smtp_sink):
    dispatch = send(INTERNATIONAL)
    assert {status for status, _e in outcome(dispatch).values()} == {"sent"}
    assert dispatch.status == "sent" and dispatch.note == ""
    envelopes = {rcpt: options for _from, rcpt, options in smtp_sink.envelopes}
    assert set(envelopes) == {"reader@xn--e1afmkfd.xn--p1ai", "пётр@xn--e1afmkfd.xn--90ais",
                              "anna@xn--bcher-kva.example", "plain@example.org"}
    assert "SMTPUTF8" in envelopes["пётр@xn--e1afmkfd.xn--90ais"]
    assert "SMTPUTF8" not in envelopes["reader@xn--e1afmkfd.xn--p1ai"]
    to = {m["To"] for _r, m, _raw in smtp_sink.messages}
    assert "пётр@xn--e1afmkfd.xn--90ais" in to


def test_without_smtputf8_only_the_unicode_local_part_fails_with_a_reason(
        sink_without_smtputf8):
    dispatch = send(INTERNATIONAL)
    results = outcome(dispatch)
    status, error = results["пётр@пример.бел"]
    assert status == "failed" and "SMTPUTF8" in error
    assert all(results[e][0] == "sent" for e in INTERNATIONAL if e != "пётр@пример.бел")
    assert sorted(rcpt for rcpt, _m, _raw in sink_without_smtputf8.messages) == [
        "anna@xn--bcher-kva.example", "plain@example.org", "reader@xn--e1afmkfd.xn--p1ai"]
    # "sent" with failures says so.
    assert dispatch.status == "sent" and "1 of 4 deliveries failed" in dispatch.note


def test_a_poison_row_never_blocks_the_batch(smtp_sink, settings, monkeypatch):
    settings.NEWSLETTER_MAX_ATTEMPTS = 1
    real = addresses.for_wire

    def for_wire(address):
        if address.startswith("poison"):
            raise RuntimeError("nobody expected this")
        return real(address)

    monkeypatch.setattr(addresses, "for_wire", for_wire)
    dispatch = send(["a@example.org", "poison@example.org", "b@example.org"])
    results = outcome(dispatch)
    assert results["poison@example.org"][0] == "failed"
    assert "unexpected error: RuntimeError: nobody expected this" in results[
        "poison@example.org"][1]
    assert results["a@example.org"][0] == results["b@example.org"][0] == "sent"
    assert not Delivery.objects.filter(status="sending").exists()
    received = sorted(rcpt for rcpt, _m, _raw in smtp_sink.messages)
    assert received == ["a@example.org", "b@example.org"]


def test_a_dispatch_whose_rows_all_failed_says_so(smtp_sink):
    smtp_sink.faults.reject = {f"gone{i}@example.org": "550 5.1.1 No such user" for i in range(3)}
    dispatch = send([f"gone{i}@example.org" for i in range(3)])
    assert dispatch.status == "sent"
    assert "Nothing was delivered: all 3 deliveries failed" in dispatch.note


def test_the_envelope_sender_is_the_deliverys_verp_address(smtp_sink, settings):
    settings.NEWSLETTER_BOUNCE_DOMAIN = "bounce.bulletin.example"
    dispatch = send(["a@example.org", "b@example.org"])
    by_rcpt = {rcpt: mail_from for mail_from, rcpt, _o in smtp_sink.envelopes}
    for delivery in dispatch.deliveries.select_related("subscriber"):
        assert by_rcpt[delivery.subscriber.email] == verp.return_path(delivery.pk)
        assert verp.find_delivery(by_rcpt[delivery.subscriber.email]) == delivery.pk


def sign_with_a_new_dkim_key(settings):
    """DKIM-sign mail as bulletin.example (selector news) with a new key; its public key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM,
                            serialization.PrivateFormat.TraditionalOpenSSL,
                            serialization.NoEncryption()).decode()
    settings.DKIM = dkim_settings({"DKIM_DOMAIN": "bulletin.example",
                                   "DKIM_SELECTOR": "news", "DKIM_PRIVATE_KEY": pem})
    return base64.b64encode(key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo))


def test_the_newsletter_is_dkim_signed_and_verifies(smtp_sink, settings, tmp_path):
    public_key = sign_with_a_new_dkim_key(settings)
    settings.DEFAULT_FROM_EMAIL = "bulletin@bulletin.example"
    record = b"v=DKIM1; k=rsa; p=" + public_key
    send(["a@example.org", "b@example.org"])
    assert len(smtp_sink.messages) == 2
    for _rcpt, message, raw in smtp_sink.messages:
        assert raw.startswith(b"DKIM-Signature:")
        header = "".join(message["DKIM-Signature"].split())
        signed = {h.lower() for h in dict(t.split("=", 1) for t in header.split(";") if t)[
            "h"].split(":")}
        assert {"from", "subject", "date", "message-id", "list-unsubscribe",
                "list-unsubscribe-post"} <= signed
        assert dkim.verify(raw, dnsfunc=lambda name, timeout=5: record)


def test_a_send_to_a_server_refusing_everyone_pauses_itself(smtp_sink, settings):
    settings.NEWSLETTER_PAUSE_IN_A_ROW = 10
    emails = [f"r{i}@example.org" for i in range(40)]
    refusal = "550 5.7.1 Service unavailable; client host blocked"
    smtp_sink.faults.reject = dict.fromkeys(emails[:30], refusal)
    dispatch = send(emails)
    assert dispatch.status == "paused"
    assert "10 recipients in a row failed for good" in dispatch.note
    counts = {s: dispatch.deliveries.filter(status=s).count() for s in ("failed", "pending")}
    assert counts == {"failed": 10, "pending": 30}
    assert not dispatch.deliveries.filter(status="sending").exists()
    assert smtp_sink.messages == []


def test_a_failure_rate_over_the_threshold_pauses_and_resume_starts_counting_again(
        smtp_sink, settings, monkeypatch):
    from tests.factories import editor

    monkeypatch.setattr(guard, "CHECK_SECONDS", 0)  # ask after every attempt
    settings.NEWSLETTER_PAUSE_MIN_ATTEMPTS = 10
    settings.NEWSLETTER_PAUSE_FAILURE_PERCENT = 5
    emails = [f"r{i:02d}@example.org" for i in range(40)]
    smtp_sink.faults.reject = dict.fromkeys(emails[::3], "550 5.1.1 No such user")
    dispatch = send(emails)
    assert dispatch.status == "paused"
    assert "of the first 10 recipients failed for good or complained" in dispatch.note
    assert dispatch.deliveries.filter(status="pending").count() == 30
    smtp_sink.faults.reject = {}
    controls.dispatch_resume(dispatch=dispatch, user=editor("resumer"))
    worker.send_batch(dispatch_id=dispatch.pk)
    dispatch.refresh_from_db()
    assert dispatch.status == "sent"
    assert dispatch.deliveries.filter(status="sent").count() == 36


def test_a_batch_stops_soon_after_an_editor_cancels(smtp_sink, settings, monkeypatch):
    """A batch asks whether it is still sending; one cancelled mid-batch stops,
    and what it gives back is skipped like the rest."""
    from newsletter import sending
    from tests.factories import editor

    monkeypatch.setattr(guard, "CHECK_SECONDS", 0)
    for i in range(10):
        SubscriberFactory(email=f"c{i}@example.org")
    issue = published_issue()
    dispatch = Dispatch.objects.get(issue=issue, language="en")
    ledger.start(dispatch_id=dispatch.pk)
    real_send = sending.Transport.send
    sent = []

    def send_then_cancel(self, template, parts):
        real_send(self, template, parts)
        sent.append(parts[sending.TO])
        if len(sent) == 3:
            controls.dispatch_cancel(dispatch=Dispatch.objects.get(pk=dispatch.pk),
                               user=editor("canceller"))

    monkeypatch.setattr(sending.Transport, "send", send_then_cancel)
    worker.send_batch(dispatch_id=dispatch.pk)
    dispatch.refresh_from_db()
    assert dispatch.status == "cancelled"
    assert len(smtp_sink.messages) == 3
    assert dispatch.deliveries.filter(status="skipped").count() == 7
    assert not dispatch.deliveries.filter(status__in=["pending", "sending"]).exists()
