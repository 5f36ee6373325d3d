"""DKIM: messages Bulletin sends carry a signature that dkimpy verifies against
the public key, over the headers the bulk-sender rules name."""

import subprocess
import sys

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from config.env import dkim_settings
from newsletter import services
from newsletter.consent import Consent

pytestmark = pytest.mark.django_db

SELECTOR, DOMAIN = "bulletin2026", "bulletin.example"


@pytest.fixture(scope="module")
def key_pair():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM,
                                serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.DER,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, public


@pytest.fixture
def dkim_on(settings, key_pair, tmp_path):
    private, _public = key_pair
    path = tmp_path / "dkim.pem"
    path.write_bytes(private)
    settings.DKIM = dkim_settings({"DKIM_DOMAIN": DOMAIN, "DKIM_SELECTOR": SELECTOR,
                                   "DKIM_PRIVATE_KEY": str(path)})
    settings.DEFAULT_FROM_EMAIL = f"bulletin@{DOMAIN}"
    return settings.DKIM


def verifies(raw: bytes, key_pair) -> bool:
    """dkimpy's verification, with the DNS TXT record answered from our public key."""
    import base64

    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(key_pair[1])

    def dns(name, timeout=5):
        assert name == f"{SELECTOR}._domainkey.{DOMAIN}.".encode()
        return record

    return dkim.verify(raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"), dnsfunc=dns)


def signed_headers(raw: bytes) -> set[str]:
    import email

    signature = email.message_from_bytes(raw)["DKIM-Signature"]
    tags = dict(t.strip().split("=", 1) for t in "".join(signature.split()).split(";") if t)
    return {h.lower() for h in tags["h"].split(":")}


def test_a_confirmation_email_is_signed_and_verifies(smtp_sink, dkim_on, key_pair,
                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.subscriber_subscribe(email="reader@example.net", language="be",
                           consent=Consent(source="/be/", text="так", version="1"))
    [(_rcpt, _message, raw)] = smtp_sink.messages
    assert raw.startswith(b"DKIM-Signature:")
    assert verifies(raw, key_pair)
    assert {"from", "subject", "date", "message-id"} <= signed_headers(raw)
    tampered = raw.replace(b"Subject:", b"Subject: Re:", 1)
    assert not verifies(tampered, key_pair)


def test_without_dkim_nothing_is_signed(smtp_sink, settings, django_capture_on_commit_callbacks):
    settings.DKIM = None
    with django_capture_on_commit_callbacks(execute=True):
        services.subscriber_subscribe(email="reader@example.net", language="en",
                           consent=Consent(source="/en/", text="yes", version="1"))
    [(_rcpt, _message, raw)] = smtp_sink.messages
    assert b"DKIM-Signature" not in raw


@pytest.mark.parametrize("environ, line", [
    ({"DKIM_DOMAIN": DOMAIN, "DKIM_SELECTOR": SELECTOR,
      "DKIM_PRIVATE_KEY": "-----BEGIN RSA PRIVATE KEY-----\nnot a key\n-----END RSA"},
     "DKIM_PRIVATE_KEY is malformed"),
    ({"DKIM_DOMAIN": DOMAIN, "DKIM_SELECTOR": SELECTOR, "DKIM_PRIVATE_KEY": "/no/such/key.pem"},
     "DKIM_PRIVATE_KEY is malformed"),
    ({"DKIM_DOMAIN": DOMAIN, "DKIM_PRIVATE_KEY": "x"}, "DKIM_SELECTOR is not set"),
])
def test_a_malformed_dkim_setting_stops_start_up_with_one_line(environ, line):
    result = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ.setdefault("
         "'DJANGO_SETTINGS_MODULE', 'config.settings'); django.setup()"],
        env={"PATH": "/usr/bin:/bin", **environ}, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and line in lines[0], result.stderr


def test_the_openssl_rsa_step_gives_dkimpys_own_signature(key_pair):
    import hashlib

    from dkim.crypto import RSASSA_PKCS1_v1_5_sign, parse_pem_private_key

    from newsletter import dkim_signature

    private = parse_pem_private_key(key_pair[0])
    digest = hashlib.sha256(b"the message")
    assert bytes(dkim_signature._openssl_sign(digest, private)) == bytes(
        RSASSA_PKCS1_v1_5_sign(hashlib.sha256(b"the message"), private))
