"""DKIM signatures (dkimpy) on every message Bulletin sends, when DKIM is
configured (DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY; config/env.py).

The signature covers From, Subject, Date, Message-ID, List-Unsubscribe and
List-Unsubscribe-Post (and To, MIME-Version, Content-Type), relaxed header and
body canonicalisation, rsa-sha256. Two callers:
- the newsletter's sender signs each recipient's prebuilt bytes
  (newsletter/sending.py): a hash of the body and one RSA signature, no
  rendering or MIME building;
- transactional email (confirmations, notes) is an EmailMultiAlternatives
  whose message() carries the signature: `SignedEmail`.
"""

import dkim
from django.conf import settings
from django.core.mail import EmailMultiAlternatives

SIGNED_HEADERS = (
    b"From", b"To", b"Subject", b"Date", b"Message-ID", b"List-Unsubscribe",
    b"List-Unsubscribe-Post", b"MIME-Version", b"Content-Type",
)


def enabled() -> bool:
    return bool(settings.DKIM)


def signature_header(message: bytes) -> bytes:
    """The DKIM-Signature header line(s) (CRLF-terminated) for `message`, a whole
    message with CRLF line ends; b"" when DKIM is not configured."""
    config = settings.DKIM
    if not config:
        return b""
    return dkim.sign(
        message, config["selector"], config["domain"], config["private_key"],
        canonicalize=(b"relaxed", b"relaxed"), include_headers=list(SIGNED_HEADERS),
    )


def sign(message: bytes) -> bytes:
    """`message` with its DKIM-Signature header first (unchanged without DKIM)."""
    return signature_header(message) + message


class SignedEmail(EmailMultiAlternatives):
    """An EmailMultiAlternatives that goes out DKIM-signed, through any backend."""

    def message(self, *args, **kwargs):
        message = super().message(*args, **kwargs)
        if not enabled():
            return message
        header = signature_header(message.as_bytes(linesep="\r\n"))
        name, _colon, value = header.decode("ascii").partition(":")
        # First, as a signer adds it; the value is already folded.
        message._headers.insert(0, (name, value.strip().replace("\r\n", "\n")))
        return message
