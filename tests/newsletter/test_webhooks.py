"""Providers' tracking webhooks: the documented payloads of Amazon SES (through
SNS), Postmark, Mailgun and SendGrid, posted to /anymail/<provider>/tracking/,
with and without valid credentials; and what each event does to a subscriber."""

import base64
import hashlib
import hmac
import json
import time

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from newsletter import bounces
from newsletter.models import Delivery, DeliveryEvent, Subscriber
from tests.factories import SubscriberFactory, published_issue

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore::UserWarning")]

SECRET = "hooks:s3cret-pass"
MAILGUN_KEY = "key-mailgun-signing-0123456789"


@pytest.fixture(autouse=True)
def _webhook_secret(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET, "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_KEY}


@pytest.fixture
def sent():
    """Two confirmed subscribers who were each sent this week's issue."""
    people = [SubscriberFactory(email=f"{name}@example.org") for name in ("anna", "ihar")]
    published_issue(send_now=True)
    deliveries = {d.subscriber.email: d for d in Delivery.objects.select_related("subscriber")}
    assert {d.status for d in deliveries.values()} == {"sent"}
    return people, deliveries


def auth(secret=SECRET):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


def post(client, provider, body, secret=SECRET, **headers):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    credentials = auth(secret) if secret else {}
    return client.post(f"/anymail/{provider}/tracking/", data=data,
                       content_type="application/json", **credentials, **headers)


def status(email):
    return Subscriber.objects.with_email(email).get()


# --- the documented payloads -------------------------------------------------


def postmark_bounce(email, delivery_id, *, bounce_id=4323372036854775807, kind="HardBounce"):
    return {
        "RecordType": "Bounce", "ID": bounce_id, "Type": kind, "TypeCode": 1,
        "Name": "Hard bounce", "Tag": "", "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "Metadata": {"bulletin_delivery": str(delivery_id)}, "ServerID": 23,
        "MessageStream": "broadcast",
        "Description": "The server was unable to deliver your message (ex: unknown user).",
        "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
        "Email": email, "From": "bulletin@example.org",
        "BouncedAt": "2026-11-30T16:33:54.9070259Z", "DumpAvailable": False,
        "Inactive": True, "CanActivate": True, "Subject": "Belarus Weekly",
    }


def postmark_complaint(email):
    return {
        "RecordType": "SpamComplaint", "ID": 42, "Type": "SpamComplaint", "TypeCode": 512,
        "Name": "Spam complaint", "Tag": "", "MessageID": "00000000-0000-0000-0000-000000000000",
        "Metadata": {}, "ServerID": 23, "MessageStream": "broadcast",
        "Description": "The subscriber explicitly marked this message as spam.",
        "Details": "Test spam complaint details", "Email": email,
        "From": "bulletin@example.org", "BouncedAt": "2026-11-30T16:40:00Z",
        "Inactive": True, "CanActivate": False, "Subject": "Belarus Weekly",
    }


def postmark_delivery(email, delivery_id):
    return {
        "RecordType": "Delivery", "ServerID": 23, "MessageStream": "broadcast",
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483", "Recipient": email,
        "Tag": "", "DeliveredAt": "2026-11-30T16:30:01Z",
        "Details": "Test delivery webhook details",
        "Metadata": {"bulletin_delivery": str(delivery_id)},
    }


def ses_notification(message: dict, message_id="22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324"):
    body = {
        "Type": "Notification", "MessageId": message_id,
        "TopicArn": "arn:aws:sns:us-east-1:123456789012:ses-events",
        "Message": json.dumps(message), "Timestamp": "2026-11-30T16:33:54.907Z",
        "SignatureVersion": "1", "Signature": "EXAMPLEpH+..",
        "SigningCertURL": "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0.pem",
        "UnsubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe",
    }
    headers = {"HTTP_X_AMZ_SNS_MESSAGE_TYPE": "Notification",
               "HTTP_X_AMZ_SNS_MESSAGE_ID": message_id}
    return body, headers


def ses_mail(email):
    return {
        "timestamp": "2026-11-30T16:30:00.000Z", "source": "bulletin@example.org",
        "messageId": "0100017a-ses-message-id", "destination": [email],
        "headersTruncated": False, "headers": [],
        "commonHeaders": {"from": ["bulletin@example.org"], "to": [email],
                          "subject": "Belarus Weekly"},
    }


def ses_bounce(email):
    return {
        "notificationType": "Bounce",
        "bounce": {
            "bounceType": "Permanent", "bounceSubType": "General",
            "bouncedRecipients": [{"emailAddress": email, "action": "failed",
                                   "status": "5.1.1",
                                   "diagnosticCode": "smtp; 550 5.1.1 user unknown"}],
            "timestamp": "2026-11-30T16:33:54.907Z",
            "feedbackId": "0100017a-bounce-feedback", "reportingMTA": "dsn; a8-70.smtp-out",
        },
        "mail": ses_mail(email),
    }


def ses_complaint(email):
    return {
        "notificationType": "Complaint",
        "complaint": {
            "complainedRecipients": [{"emailAddress": email}],
            "timestamp": "2026-11-30T17:00:00.000Z", "feedbackId": "0100017a-complaint",
            "complaintFeedbackType": "abuse", "userAgent": "Yahoo!-Mail-Feedback/2.0",
        },
        "mail": ses_mail(email),
    }


def mailgun(event_data, key=MAILGUN_KEY, token="a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f"):  # noqa: S107
    timestamp = str(int(time.time()))
    signature = hmac.new(key.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()
    return {"signature": {"timestamp": timestamp, "token": token, "signature": signature},
            "event-data": event_data}


def mailgun_failed(email, delivery_id, severity="permanent"):
    return {
        "event": "failed", "severity": severity, "reason": "bounce",
        "id": "G9Bn5sl1TC6nu79C8C0bwg", "timestamp": time.time(), "recipient": email,
        "log-level": "error",
        "delivery-status": {"code": 550 if severity == "permanent" else 452,
                            "message": "5.1.1 The email account does not exist",
                            "description": "", "attempt-no": 1},
        "message": {"headers": {"message-id": "20261130.mailgun@example.org",
                                "to": email, "from": "bulletin@example.org"}},
        "user-variables": {"bulletin_delivery": str(delivery_id)},
    }


def sendgrid_events(email, delivery_id):
    return [
        {"email": email, "timestamp": 1764520000, "event": "delivered",
         "sg_event_id": "sg-delivered-1", "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001",
         "response": "250 OK", "bulletin_delivery": str(delivery_id)},
        {"email": email, "timestamp": 1764520100, "event": "spamreport",
         "sg_event_id": "sg-spam-1", "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001",
         "bulletin_delivery": str(delivery_id)},
    ]


# --- effects -----------------------------------------------------------------


def test_postmark_hard_bounce_suppresses_the_subscriber_once(client, sent):
    _people, deliveries = sent
    anna = deliveries["anna@example.org"]
    response = post(client, "postmark", postmark_bounce("anna@example.org", anna.pk))
    assert response.status_code == 200
    subscriber = status("anna@example.org")
    assert subscriber.status == "bounced"
    assert "5.1.1" in subscriber.bounce_reason
    event = DeliveryEvent.objects.get()
    assert (event.kind, event.source, event.delivery_id, event.effect) == (
        "bounced", "postmark", anna.pk, "bounced")
    # The same event again: 200, nothing more recorded or changed.
    assert post(client, "postmark", postmark_bounce("anna@example.org", anna.pk)).status_code == 200
    assert DeliveryEvent.objects.count() == 1
    assert status("ihar@example.org").status == "confirmed"


def test_postmark_complaint_unsubscribes_and_records_the_complaint(client, sent):
    assert post(client, "postmark", postmark_complaint("ihar@example.org")).status_code == 200
    subscriber = status("ihar@example.org")
    assert subscriber.status == "unsubscribed"
    assert subscriber.complained_at is not None and subscriber.unsubscribed_at is not None
    event = DeliveryEvent.objects.get()
    assert event.kind == "complained" and event.subscriber_id == subscriber.pk
    # Matched to the address's latest send even without metadata.
    assert event.delivery_id == sent[1]["ihar@example.org"].pk


def test_a_late_delivered_event_never_resurrects_a_bounced_subscriber(client, sent):
    anna = sent[1]["anna@example.org"]
    post(client, "postmark", postmark_bounce("anna@example.org", anna.pk))
    delivered = post(client, "postmark", postmark_delivery("anna@example.org", anna.pk))
    assert delivered.status_code == 200
    assert status("anna@example.org").status == "bounced"
    anna.refresh_from_db()
    assert anna.delivered_at is not None


def test_amazon_ses_bounce_and_complaint_through_sns(client, sent):
    body, headers = ses_notification(ses_bounce("anna@example.org"))
    assert post(client, "amazon_ses", body, **headers).status_code == 200
    body, headers = ses_notification(ses_complaint("ihar@example.org"), message_id="sns-2")
    assert post(client, "amazon_ses", body, **headers).status_code == 200
    assert status("anna@example.org").status == "bounced"
    assert status("ihar@example.org").status == "unsubscribed"
    assert set(DeliveryEvent.objects.values_list("source", "kind")) == {
        ("amazon_ses", "bounced"), ("amazon_ses", "complained")}


def test_mailgun_signed_events_and_soft_bounces_counted_per_send(client, sent, settings):
    settings.NEWSLETTER_SOFT_BOUNCE_LIMIT = 2
    anna = sent[1]["anna@example.org"]
    first = mailgun(mailgun_failed("anna@example.org", anna.pk, "temporary"), token="t" * 50)
    assert post(client, "mailgun", first).status_code == 200
    subscriber = status("anna@example.org")
    assert (subscriber.status, subscriber.soft_bounces) == ("confirmed", 1)
    # A second deferral of the same send is not a second send in a row.
    again = mailgun(mailgun_failed("anna@example.org", anna.pk, "temporary"), token="u" * 50)
    assert post(client, "mailgun", again).status_code == 200
    assert status("anna@example.org").soft_bounces == 1
    hard = mailgun(mailgun_failed("anna@example.org", anna.pk), token="v" * 50)
    assert post(client, "mailgun", hard).status_code == 200
    assert status("anna@example.org").status == "bounced"


def test_soft_bounces_in_a_row_across_sends_make_a_bounce(sent, settings):
    settings.NEWSLETTER_SOFT_BOUNCE_LIMIT = 3
    ihar = status("ihar@example.org")
    for n in range(3):
        issue = published_issue(send_now=True) if n else None
        delivery = Delivery.objects.filter(subscriber=ihar).order_by("-pk").first()
        assert issue is None or delivery.dispatch.issue_id == issue.pk
        bounces.event_record(bounces.Report(
            kind="soft_bounce", source="test", event_id=f"soft-{n}", delivery_id=delivery.pk,
            description="452 4.2.2 Mailbox full"))
    ihar.refresh_from_db()
    assert ihar.status == "bounced" and "3 soft bounces in a row" in ihar.bounce_reason


def test_a_delivery_report_starts_the_soft_bounce_count_again(sent):
    ihar = sent[1]["ihar@example.org"]
    bounces.event_record(bounces.Report(kind="soft_bounce", source="t", event_id="1",
                                        delivery_id=ihar.pk))
    bounces.event_record(bounces.Report(kind="delivered", source="t", event_id="2",
                                        delivery_id=ihar.pk))
    assert status("ihar@example.org").soft_bounces == 0


def test_sendgrid_batch_with_a_valid_signature(client, sent, settings):
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    settings.ANYMAIL = {**settings.ANYMAIL, "SENDGRID_TRACKING_WEBHOOK_VERIFICATION_KEY":
                        "".join(public.strip().splitlines()[1:-1])}
    ihar = sent[1]["ihar@example.org"]
    body = json.dumps(sendgrid_events("ihar@example.org", ihar.pk)).encode()
    timestamp = str(int(time.time()))
    good = base64.b64encode(key.sign(timestamp.encode() + body, ec.ECDSA(hashes.SHA256())))
    forged = post(client, "sendgrid", body,
                  HTTP_X_TWILIO_EMAIL_EVENT_WEBHOOK_SIGNATURE=base64.b64encode(b"x" * 70).decode(),
                  HTTP_X_TWILIO_EMAIL_EVENT_WEBHOOK_TIMESTAMP=timestamp)
    assert forged.status_code == 403
    assert not DeliveryEvent.objects.exists()
    response = post(client, "sendgrid", body,
                    HTTP_X_TWILIO_EMAIL_EVENT_WEBHOOK_SIGNATURE=good.decode(),
                    HTTP_X_TWILIO_EMAIL_EVENT_WEBHOOK_TIMESTAMP=timestamp)
    assert response.status_code == 200
    assert sorted(DeliveryEvent.objects.values_list("kind", flat=True)) == [
        "complained", "delivered"]
    ihar.refresh_from_db()
    assert ihar.delivered_at is not None
    assert status("ihar@example.org").status == "unsubscribed"


def test_an_event_for_an_unknown_message_is_recorded_and_answered_200(client, sent):
    response = post(client, "postmark", postmark_bounce("stranger@example.net", 999999))
    assert response.status_code == 200
    event = DeliveryEvent.objects.get()
    assert event.subscriber_id is None and event.recipient == "stranger@example.net"
    assert event.effect == "no matching subscriber"
    assert set(Subscriber.objects.values_list("status", flat=True)) == {"confirmed"}


# --- refusals: nothing changes -----------------------------------------------


@pytest.mark.parametrize("secret", ["", "hooks:wrong", "nobody:s3cret-pass"])
def test_bad_or_missing_credentials_are_refused(client, sent, secret):
    anna = sent[1]["anna@example.org"]
    response = post(client, "postmark", postmark_bounce("anna@example.org", anna.pk),
                    secret=secret)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic")
    assert not DeliveryEvent.objects.exists()
    assert status("anna@example.org").status == "confirmed"


def test_without_a_configured_secret_every_webhook_is_refused(client, sent, settings):
    settings.ANYMAIL = {}
    response = post(client, "postmark", postmark_complaint("anna@example.org"))
    assert response.status_code == 401
    assert "ANYMAIL_WEBHOOK_SECRET" in response.content.decode()
    assert status("anna@example.org").status == "confirmed"


def test_a_mailgun_event_with_a_forged_signature_is_refused(client, sent):
    anna = sent[1]["anna@example.org"]
    forged = mailgun(mailgun_failed("anna@example.org", anna.pk), key="not-the-key")
    assert post(client, "mailgun", forged).status_code == 403
    assert status("anna@example.org").status == "confirmed"
    assert not DeliveryEvent.objects.exists()


@pytest.mark.parametrize("body", [
    b"{not json", b"[]", b'{"RecordType": "Bounce"}', "\u0000".encode(), b'"a string"',
])
def test_malformed_bodies_are_400_and_change_nothing(client, sent, body):
    response = post(client, "postmark", body)
    assert response.status_code in (200, 400)  # an empty list is a valid, empty batch
    if body != b"[]":
        assert response.status_code == 400, response.content
    assert not DeliveryEvent.objects.exists()


def test_a_malformed_sns_body_is_400(client, sent):
    response = post(client, "amazon_ses", b"{oops", HTTP_X_AMZ_SNS_MESSAGE_TYPE="Notification")
    assert response.status_code == 400


def test_a_huge_body_is_400(client, sent, settings):
    settings.NEWSLETTER_WEBHOOK_MAX_BYTES = 10_000
    events = [postmark_complaint("anna@example.org")] * 200
    assert post(client, "postmark", events).status_code == 400
    assert status("anna@example.org").status == "confirmed"


def test_a_batch_with_one_malformed_event_records_none_of_it(client, sent):
    ihar = sent[1]["ihar@example.org"]
    events = sendgrid_events("ihar@example.org", ihar.pk) + [{"event": "bounce"}]
    response = post(client, "sendgrid", events)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert not DeliveryEvent.objects.exists()
        assert status("ihar@example.org").status == "confirmed"


def test_resubscribing_after_a_complaint_needs_confirmation_and_clears_it(client, sent):
    from newsletter import services
    from newsletter.consent import Consent

    post(client, "postmark", postmark_complaint("anna@example.org"))
    result = services.subscriber_subscribe(email="anna@example.org", language="en",
                                consent=Consent(source="/en/", text="yes", version="1"))
    subscriber = status("anna@example.org")
    # Nothing stored changes until the new request's link is confirmed.
    assert subscriber.status == "unsubscribed" and subscriber.complained_at is not None
    services.subscriber_confirm(
        subscriber_id=result.subscriber_id, nonce=subscriber.confirmation_nonce)
    subscriber.refresh_from_db()
    assert subscriber.status == "confirmed"
    assert (subscriber.complained_at, subscriber.soft_bounces) == (None, 0)
