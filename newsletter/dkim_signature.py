"""DKIM signatures (dkimpy) on every message Bulletin sends, when DKIM is
configured (DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY; config/env.py).

The signature covers From, Subject, Date, Message-ID, List-Unsubscribe and
List-Unsubscribe-Post (and To, MIME-Version, Content-Type), relaxed/simple
canonicalisation, rsa-sha256. Two callers:
- the newsletter's sender signs each recipient's prebuilt bytes
  (newsletter/sending.py): a hash of the body and one RSA signature, no
  rendering or MIME building;
- transactional email (confirmations, notes) is an EmailMultiAlternatives
  whose message() carries the signature: `SignedEmail`.
"""

import dkim
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
from django.conf import settings
from django.core.mail import EmailMultiAlternatives

# dkimpy does the RSA step in pure Python (big-integer pow): about 20-60 ms per
# message on our machines, which would cap a send near 20 messages a second
# per process (bench/dkim_cost.py). It offers no hook for another signer, so
# its one RSA function is replaced by the same operation in OpenSSL
# (cryptography): the same PKCS#1 v1.5 signature, bit for bit, in well under a
# millisecond. dkimpy still does everything else (canonicalisation, hashes,
# the header), and verifies with its own code.
_PURE_PYTHON_SIGN = dkim.RSASSA_PKCS1_v1_5_sign
_OPENSSL_KEYS: dict[int, rsa.RSAPrivateKey] = {}
_DIGESTS = {32: hashes.SHA256()}  # rsa-sha256 only; anything else stays with dkimpy


def _openssl_key(private_key: dict) -> rsa.RSAPrivateKey:
    key = _OPENSSL_KEYS.get(private_key["modulus"])
    if key is None:
        key = rsa.RSAPrivateNumbers(
            p=private_key["prime1"], q=private_key["prime2"],
            d=private_key["privateExponent"], dmp1=private_key["exponent1"],
            dmq1=private_key["exponent2"], iqmp=private_key["coefficient"],
            public_numbers=rsa.RSAPublicNumbers(private_key["publicExponent"],
                                                private_key["modulus"]),
        ).private_key()
        _OPENSSL_KEYS[private_key["modulus"]] = key
    return key


def _openssl_sign(hash_object, private_key):
    """dkimpy's RSASSA_PKCS1_v1_5_sign(hash, private_key), through OpenSSL."""
    digest = hash_object.digest()
    algorithm = _DIGESTS.get(len(digest))
    if algorithm is None or not isinstance(private_key, dict):
        return _PURE_PYTHON_SIGN(hash_object, private_key)
    return _openssl_key(private_key).sign(digest, padding.PKCS1v15(), Prehashed(algorithm))


dkim.RSASSA_PKCS1_v1_5_sign = _openssl_sign

# relaxed headers (relays refold them), simple body: the body is ours to the
# byte, and the relaxed body rules (regexes over every line) would cost more
# than the rest of the signature (bench/dkim_cost.py).
CANONICALIZE = (b"relaxed", b"simple")
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
        canonicalize=CANONICALIZE, include_headers=list(SIGNED_HEADERS),
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
