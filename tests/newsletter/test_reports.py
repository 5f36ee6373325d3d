"""Bounces over plain SMTP: DSNs and ARF reports as Postfix, Exim and Gmail write
them, matched by their VERP address, fed to `manage.py process_bounces` on
standard input, from files, and from a real IMAP server (Dovecot)."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from newsletter import mailbox, verp
from newsletter.models import Delivery, DeliveryEvent, Subscriber
from tests.factories import SubscriberFactory, published_issue

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "reports"


@pytest.fixture(autouse=True)
def _bounce_domain(settings):
    settings.NEWSLETTER_BOUNCE_DOMAIN = "bounce.bulletin.example"


@pytest.fixture
def sent():
    for name in ("anna", "ihar", "olga"):
        SubscriberFactory(email=f"{name}@example.net")
    published_issue(send_now=True)
    return {d.subscriber.email: d for d in Delivery.objects.select_related("subscriber")}


def sample(name, delivery, *, verp_address=None, n=1) -> bytes:
    text = (SAMPLES / f"{name}.eml").read_text()
    values = {
        "{verp}": verp_address or verp.return_path(delivery.pk),
        "{rcpt}": delivery.subscriber.email,
        "{message_id}": delivery.message_id,
        "{n}": str(n),
    }
    for key, value in values.items():
        text = text.replace(key, value)
    return text.replace("\n", "\r\n").encode()


def status(delivery):
    return Subscriber.objects.get(pk=delivery.subscriber_id)


def run_stdin(raw: bytes) -> str:
    out = io.StringIO()
    stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(raw))
    try:
        call_command("process_bounces", stdout=out)
    finally:
        sys.stdin = stdin
    return out.getvalue()


def test_verp_addresses_name_their_delivery_and_cannot_be_forged(settings):
    address = verp.return_path(1234)
    assert address.startswith("bounces+") and address.endswith("@bounce.bulletin.example")
    assert verp.find_delivery(f"<{address}>") == 1234
    assert verp.find_delivery(address.upper()) == 1234  # servers that lower/upper-case
    local, _at, domain = address.partition("@")
    token, signature = local.removeprefix("bounces+").split("-")
    for forged in (f"bounces+{token}-{'0' * 16}@{domain}",
                   f"bounces+{int(token, 36) + 1:x}-{signature}@{domain}"):
        with pytest.raises(verp.ForgedToken):
            verp.find_delivery(forged)
    settings.NEWSLETTER_BOUNCE_DOMAIN = ""
    assert verp.return_path(1234) is None


@pytest.mark.parametrize("name", ["postfix_hard", "exim_hard", "gmail_hard"])
def test_a_hard_bounce_on_stdin_bounces_that_subscriber(sent, name):
    anna = sent["anna@example.net"]
    output = run_stdin(sample(name, anna))
    assert "bounced anna@example.net" in output
    subscriber = status(anna)
    assert subscriber.status == "bounced"
    event = DeliveryEvent.objects.get()
    assert (event.kind, event.delivery_id, event.source) == ("bounced", anna.pk, "dsn")
    if name != "exim_hard":
        assert "5.1.1" in event.description
    # The same report again (an MTA retrying the pipe) changes nothing.
    run_stdin(sample(name, anna))
    assert DeliveryEvent.objects.count() == 1
    assert {status(d).status for e, d in sent.items() if e != "anna@example.net"} == {
        "confirmed"}


def test_a_delay_notice_is_a_soft_bounce_and_three_sends_in_a_row_bounce(sent, settings):
    ihar = sent["ihar@example.net"]
    run_stdin(sample("gmail_delayed", ihar, n=1))
    subscriber = status(ihar)
    assert (subscriber.status, subscriber.soft_bounces) == ("confirmed", 1)
    for n in (2, 3):
        published_issue(send_now=True)
        latest = Delivery.objects.filter(subscriber_id=ihar.subscriber_id).latest("pk")
        run_stdin(sample("gmail_delayed", latest, n=n))
    assert status(ihar).status == "bounced"


def test_an_arf_complaint_unsubscribes(sent, tmp_path):
    olga = sent["olga@example.net"]
    path = tmp_path / "complaint.eml"
    path.write_bytes(sample("arf_complaint", olga))
    out = io.StringIO()
    call_command("process_bounces", str(path), stdout=out)
    assert "complained olga@example.net" in out.getvalue()
    subscriber = status(olga)
    assert subscriber.status == "unsubscribed" and subscriber.complained_at is not None


def test_a_non_standard_bounce_is_still_matched_by_its_verp_address(sent):
    anna = sent["anna@example.net"]
    run_stdin(sample("nonstandard", anna))
    event = DeliveryEvent.objects.get()
    assert (event.kind, event.delivery_id) == ("soft_bounce", anna.pk)
    assert status(anna).soft_bounces == 1


def test_a_forged_verp_token_is_ignored_and_logged(sent, caplog):
    anna = sent["anna@example.net"]
    forged = verp.return_path(anna.pk)[:-30] + "0" * 16 + "@bounce.bulletin.example"
    forged = "bounces+" + forged.split("+", 1)[1]
    output = run_stdin(sample("postfix_hard", anna, verp_address=forged))
    assert "ignored (forged or unknown VERP address)" in output
    assert "forged or unknown VERP address" in caplog.text
    assert not DeliveryEvent.objects.exists()
    assert status(anna).status == "confirmed"


def test_not_a_report_is_ignored_and_a_missing_file_is_a_clear_error(sent):
    assert "ignored" in run_stdin(b"Subject: hello\r\n\r\nJust a reply.\r\n")
    with pytest.raises(CommandError, match="cannot read /nonexistent.eml"):
        call_command("process_bounces", "/nonexistent.eml")


@pytest.mark.django_db(transaction=True)
def test_the_command_reads_a_postfix_pipe(settings):
    """As a Postfix pipe transport runs it: its own process, the message on stdin."""
    SubscriberFactory(email="anna@example.net")
    published_issue(send_now=True)
    anna = Delivery.objects.select_related("subscriber").get()
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("a second process shares the test database on PostgreSQL only")
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url,
           "NEWSLETTER_BOUNCE_DOMAIN": settings.NEWSLETTER_BOUNCE_DOMAIN,
           "SECRET_KEY": settings.SECRET_KEY}
    result = subprocess.run(
        [sys.executable, "manage.py", "process_bounces"], input=sample("exim_hard", anna),
        capture_output=True, timeout=120, cwd=Path(__file__).resolve().parents[2], env=env,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert b"bounced anna@example.net" in result.stdout
    assert status(anna).status == "bounced"


@pytest.mark.django_db(transaction=True)
def test_the_imap_mailbox_is_processed_and_emptied(imap_server, settings):
    for name in ("anna", "ihar"):
        SubscriberFactory(email=f"{name}@example.net")
    published_issue(send_now=True)
    sent = {d.subscriber.email: d for d in Delivery.objects.select_related("subscriber")}
    settings.BOUNCE_MAILBOX_URL = imap_server.url
    imap_server.deliver(sample("postfix_hard", sent["anna@example.net"]))
    imap_server.deliver(sample("arf_complaint", sent["ihar@example.net"]))
    imap_server.deliver(b"Subject: out of office\r\n\r\nBack on Monday.\r\n")
    assert imap_server.count() == 3
    out = io.StringIO()
    call_command("process_bounces", "--mailbox", stdout=out)
    assert "2 recorded, 1 ignored, 0 left" in out.getvalue()
    assert status(sent["anna@example.net"]).status == "bounced"
    assert status(sent["ihar@example.net"]).status == "unsubscribed"
    assert imap_server.count() == 0
    # Beat's round records its outcome for /healthz and the admin.
    assert mailbox.mailbox_poll()["ok"] is True


@pytest.mark.django_db(transaction=True)
def test_a_message_that_fails_stays_in_the_mailbox(imap_server, settings, monkeypatch):
    settings.BOUNCE_MAILBOX_URL = imap_server.url
    imap_server.deliver(b"Subject: one\r\n\r\nx\r\n")

    def broken(raw):
        raise RuntimeError("database went away")

    monkeypatch.setattr("newsletter.reports.report_record", broken)
    assert mailbox.mailbox_process() == {"processed": 0, "ignored": 0, "failed": 1}
    assert imap_server.count() == 1


def test_an_unreachable_mailbox_is_reported_not_raised(settings):
    from tests.smtp import free_port

    settings.BOUNCE_MAILBOX_URL = f"imap://u:p@127.0.0.1:{free_port()}/INBOX"
    status_now = mailbox.mailbox_poll()
    assert status_now["ok"] is False and "cannot read the bounce mailbox" in status_now["error"]
    assert mailbox.mailbox_status() == status_now
    with pytest.raises(CommandError, match="cannot read the bounce mailbox"):
        call_command("process_bounces", "--mailbox")
    settings.BOUNCE_MAILBOX_URL = "pop3://nobody@host"
    assert "malformed" in mailbox.mailbox_poll()["error"]


def test_healthz_reports_an_unreadable_mailbox_without_failing(client, settings):
    from tests.smtp import free_port

    settings.BOUNCE_MAILBOX_URL = f"imap://u:p@127.0.0.1:{free_port()}/INBOX"
    assert client.get("/healthz").json()["bounce_mailbox"] == {"status": "ok", "last_read": None}
    mailbox.mailbox_poll()
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["bounce_mailbox"]["status"] == "degraded"
    assert body["bounce_mailbox"]["error"].startswith("cannot read the bounce mailbox")
    assert "u:p" not in response.content.decode()
