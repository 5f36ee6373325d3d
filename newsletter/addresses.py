"""Email addresses as the world writes them, and as SMTP must carry them.

- A domain in Unicode (`.бел`, `.рф`, `bücher.example`) travels as IDNA
  (`xn--90ais`): every server takes that.
- A local part in Unicode (`пётр@…`) needs SMTPUTF8 (RFC 6531): sent with it
  when the server offers it; otherwise that one delivery fails for good, with
  a reason saying so, and the rest of the batch goes on.

Subscribing and importing refuse only what can never be delivered (bad
syntax, a domain that is not a valid IDNA name); `email-validator` knows the
rules for the Unicode cases; `clean_email` is that check for the subscribe
form, the subscribe service and the CSV import alike.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email as validate_ascii_email
from django.utils.translation import gettext as _
from email_validator import EmailNotValidError, validate_email

from newsletter.models import normalise_email

EMAIL_MAX_LENGTH = 254  # RFC 5321 path limit; Subscriber.email's max_length


class Undeliverable(Exception):
    """No server can ever be given this address; the message says why."""


@dataclass(frozen=True)
class WireAddress:
    address: str  # what goes into RCPT TO and the To header
    smtputf8: bool  # the server must offer SMTPUTF8


def _validated(address: str):
    try:
        return validate_email(address, check_deliverability=False, allow_smtputf8=True,
                              allow_display_name=False)
    except EmailNotValidError as exc:
        raise Undeliverable(str(exc)) from None


def for_wire(address: str) -> WireAddress:
    """The form of `address` to hand to SMTP. ASCII addresses pass unchanged
    (no parsing in the per-recipient loop for them). Raises Undeliverable."""
    if address.isascii():
        return WireAddress(address, False)
    local, _at, domain = address.rpartition("@")
    if not local.isascii():
        result = _validated(address)
        return WireAddress(f"{result.local_part}@{result.ascii_domain}", True)
    result = _validated(address)
    return WireAddress(result.ascii_email or address, False)


def check_unicode(address: str) -> None:
    """For an address with non-ASCII characters: raises Undeliverable unless it
    is a valid RFC 6531 address with an IDNA-valid domain."""
    _validated(address)


def clean_email(value: str) -> str:
    """The normalised address, or ValidationError with a message for people."""
    address = normalise_email(value)
    if not address:
        raise ValidationError(_("Enter an email address."))
    if len(address) > EMAIL_MAX_LENGTH:
        raise ValidationError(
            _("An email address has at most %(max)d characters.") % {"max": EMAIL_MAX_LENGTH}
        )
    try:
        if address.isascii():
            validate_ascii_email(address)
        else:
            # Unicode domains (IDNA) and local parts (SMTPUTF8) can be delivered.
            check_unicode(address)
    except (ValidationError, Undeliverable):
        raise ValidationError(_("Enter a valid email address.")) from None
    return address
