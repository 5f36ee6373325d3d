"""Putting a rendered dispatch on the wire, fast.

The email is rendered once per dispatch (subject, text, HTML, with markers for
the per-recipient parts). Each batch builds the MIME message once, as bytes,
and splits it at the markers; per recipient, sending is a join of those pieces
with that recipient's address, links and Message-ID: no template rendering,
no MIME building, no database query.

Parts are sent 8bit (RFC 6152): the markers then survive encoding verbatim.
Lines of the HTML are kept well under SMTP's 998-octet limit.
"""

import logging
import re
import smtplib
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from newsletter import addresses, dkim_signature, links, tokens, verp

log = logging.getLogger(__name__)

# Markers for what differs per recipient: valid addresses and URLs (so the email
# package's header parsers keep them intact), untouched by HTML escaping.
TO = "to.bulletin-marker@marker.invalid"
MESSAGE_ID = "message-id.bulletin-marker@marker.invalid"
UNSUBSCRIBE = "https://marker.invalid/unsubscribe.bulletin-marker"
PREFERENCES = "https://marker.invalid/preferences.bulletin-marker"
ONE_CLICK = "https://marker.invalid/one-click.bulletin-marker"
MARKERS = (TO, MESSAGE_ID, UNSUBSCRIBE, PREFERENCES, ONE_CLICK)
# Per-recipient values that are not in the message itself: the envelope (VERP
# return path, whether SMTPUTF8 is needed) and the delivery's id (for providers'
# event metadata).
RETURN_PATH, SMTPUTF8, DELIVERY = "return-path", "smtputf8", "delivery"
_MARKER_RE = re.compile("(" + "|".join(re.escape(m) for m in MARKERS) + ")")

MAX_LINE = 900


def wrap_long_lines(html: str, limit: int = MAX_LINE) -> str:
    """Break lines longer than `limit` between tags, where a newline changes nothing."""
    out = []
    for line in html.splitlines():
        while len(line) > limit:
            cut = line.rfind("><", 0, limit)
            if cut <= 0:
                cut = line.rfind(" ", 0, limit)
            if cut <= 0:
                break
            out.append(line[: cut + 1])
            line = line[cut + 1 :]
        out.append(line)
    return "\n".join(out)


@dataclass(frozen=True)
class Recipient:
    delivery_id: int
    subscriber_id: int
    email: str
    message_id: str


def envelope_parts(recipient: Recipient) -> dict[str, str]:
    """The recipient's address as SMTP carries it (IDNA domain; SMTPUTF8 for a
    Unicode local part), the VERP return path and the delivery id. Raises
    PermanentFailure for an address no server can be given."""
    try:
        wire = addresses.for_wire(recipient.email)
    except addresses.Undeliverable as exc:
        raise PermanentFailure(f"undeliverable address: {exc}", bounce=False) from None
    return {
        TO: wire.address,
        SMTPUTF8: "1" if wire.smtputf8 else "",
        RETURN_PATH: verp.return_path(recipient.delivery_id) or "",
        DELIVERY: str(recipient.delivery_id),
    }


def personal_parts(recipient: Recipient, language: str) -> dict[str, str]:
    return {
        **envelope_parts(recipient),
        MESSAGE_ID: recipient.message_id,
        UNSUBSCRIBE: links.unsubscribe_url(recipient.subscriber_id, language),
        PREFERENCES: links.preferences_url(recipient.subscriber_id, language),
        ONE_CLICK: links.one_click_url(recipient.subscriber_id),
    }


_TOKEN = "bulletin-token-placeholder"  # noqa: S105 - a marker, not a secret


def _url_template(url: str, purpose: str, subscriber_id: int) -> str | None:
    """`url` with its signed token replaced by a placeholder (None if not found once)."""
    for segment in url.split("/"):
        try:
            if segment and tokens.read_token(segment, purpose) == subscriber_id:
                return url.replace(segment, _TOKEN) if url.count(segment) == 1 else None
        except tokens.TokenError:
            continue
    return None


class PersonalParts:
    """personal_parts() for one language, with the URL routing done once per batch.

    The links differ per recipient only by their signed token, so each link is
    built once by the real link builders, its token replaced by a placeholder,
    and then filled in per recipient by concatenation. The unsubscribe token
    serves both the unsubscribe and the one-click link (the same subscriber,
    the same purpose). Gives what personal_parts() gives.
    """

    PROBE_ID = 1

    def __init__(self, language: str):
        self.language = language
        probe = self.PROBE_ID
        self.unsubscribe = _url_template(
            links.unsubscribe_url(probe, language), tokens.UNSUBSCRIBE, probe)
        self.preferences = _url_template(
            links.preferences_url(probe, language), tokens.PREFERENCES, probe)
        self.one_click = _url_template(links.one_click_url(probe), tokens.UNSUBSCRIBE, probe)
        self.fast = None not in (self.unsubscribe, self.preferences, self.one_click)

    def __call__(self, recipient: Recipient) -> dict[str, str]:
        if not self.fast:
            return personal_parts(recipient, self.language)
        unsubscribe = tokens.make_token(recipient.subscriber_id, tokens.UNSUBSCRIBE)
        preferences = tokens.make_token(recipient.subscriber_id, tokens.PREFERENCES)
        return {
            **envelope_parts(recipient),
            MESSAGE_ID: recipient.message_id,
            UNSUBSCRIBE: self.unsubscribe.replace(_TOKEN, unsubscribe),
            PREFERENCES: self.preferences.replace(_TOKEN, preferences),
            ONE_CLICK: self.one_click.replace(_TOKEN, unsubscribe),
        }


def fill(text: str, parts: dict[str, str]) -> str:
    return _MARKER_RE.sub(lambda m: parts[m.group(0)], text)


class MessageTemplate:
    """One dispatch's message as bytes with holes for the per-recipient parts."""

    def __init__(self, *, subject, text, html, from_email, language, list_id):
        self.subject, self.text, self.html = subject, text, html
        self.from_email, self.language, self.list_id = from_email, language, list_id
        self.envelope_from = None  # MAIL FROM, filled in by Transport on first use
        message = EmailMessage(policy=SMTP)
        message["Subject"] = subject
        message["From"] = from_email
        message["To"] = TO
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = f"<{MESSAGE_ID}>"
        for name, value in links.list_headers(ONE_CLICK, list_id).items():
            message[name] = value
        message.set_content(text, charset="utf-8", cte="8bit")
        message.add_alternative(wrap_long_lines(html), subtype="html", charset="utf-8", cte="8bit")
        raw = message.as_bytes(policy=SMTP)
        pieces = _MARKER_RE.split(raw.decode("utf-8", "surrogateescape"))
        # Even indexes are fixed text, odd ones are marker names.
        self._pieces = [
            (piece if i % 2 == 0 else None, None if i % 2 == 0 else piece)
            for i, piece in enumerate(pieces)
        ]
        self._wire = self._wire_pieces(pieces)

    def render(self, parts: dict[str, str]) -> bytes:
        return "".join(
            fixed if marker is None else parts[marker] for fixed, marker in self._pieces
        ).encode("utf-8", "surrogateescape")

    @staticmethod
    def _wire_pieces(pieces: list[str]):
        """The pieces dot-stuffed once (RFC 5321 4.5.2) and ended with the DATA
        terminator, so sending needs no per-recipient pass over the message.

        Stuffing each fixed piece on its own equals stuffing the whole message
        as long as no marker starts a line (checked here) and no value contains
        a line break (checked per recipient in render_wire)."""
        wire = []
        at_line_start = True
        for i, piece in enumerate(pieces):
            if i % 2:
                if at_line_start:
                    return None  # a marker starts a line: stuff per message instead
                wire.append((None, piece))
                at_line_start = False
                continue
            stuffed = piece.replace("\n.", "\n..")
            if at_line_start and stuffed.startswith("."):
                stuffed = "." + stuffed
            wire.append((stuffed, None))
            if piece:
                at_line_start = piece.endswith("\n")
        if not at_line_start:
            wire.append(("\r\n", None))
        wire.append((".\r\n", None))
        return wire

    def render_wire(self, parts: dict[str, str]) -> bytes | None:
        """The DATA payload, dot-stuffed, with the terminating line; None when
        it cannot be built from the pre-stuffed pieces."""
        if self._wire is None or any("\n" in parts[marker] or "\r" in parts[marker]
                                     for marker in MARKERS if marker in parts):
            return None
        return "".join(
            fixed if marker is None else parts[marker] for fixed, marker in self._wire
        ).encode("utf-8", "surrogateescape")

    def as_django_message(self, parts: dict[str, str]) -> EmailMultiAlternatives:
        """The same message for Django's other backends (an API provider through
        anymail, outbox, locmem, console): signed like the rest, and carrying the
        delivery's id as metadata, which providers report back in their events."""
        message = dkim_signature.SignedEmail(
            subject=self.subject,
            body=fill(self.text, parts),
            from_email=self.from_email,
            to=[parts[TO]],
            headers={
                "Message-ID": f"<{parts[MESSAGE_ID]}>",
                **links.list_headers(parts[ONE_CLICK], self.list_id),
            },
        )
        message.attach_alternative(fill(self.html, parts), "text/html")
        if parts.get(DELIVERY):
            message.metadata = {"bulletin_delivery": parts[DELIVERY]}
        return message


class TemporaryFailure(Exception):
    """Try this recipient again later (4xx, dropped connection, timeout)."""

    def __init__(self, message, *, connection_lost=False):
        super().__init__(message)
        self.connection_lost = connection_lost


class ServerUnavailable(TemporaryFailure):
    """No connection to the SMTP server at all: nobody's fault but the server's."""

    def __init__(self, message):
        super().__init__(message, connection_lost=True)


class PermanentFailure(Exception):
    """The server refused this recipient for good (5xx)."""

    def __init__(self, message, *, bounce: bool):
        super().__init__(message)
        self.bounce = bounce


def _answer(code, text) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()


def is_smtp_backend() -> bool:
    return settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"


class Transport:
    """Sends filled-in messages; SMTP directly, or through Django's backend."""

    def __init__(self):
        self.backend = get_connection(fail_silently=False)
        self.smtp_direct = is_smtp_backend()
        self._open = False
        self._mail_options: list[str] = []
        self._smtputf8 = True  # known once connected; Django's other backends need not care

    def open(self):
        if self._open:
            return
        try:
            self.backend.open()
        except (smtplib.SMTPException, OSError) as exc:
            raise ServerUnavailable(f"cannot connect to the SMTP server: {exc}") from exc
        self._open = True
        if self.smtp_direct:
            connection = self.backend.connection
            connection.ehlo_or_helo_if_needed()
            self._mail_options = ["BODY=8BITMIME"] if connection.has_extn("8bitmime") else []
            self._smtputf8 = connection.has_extn("smtputf8")

    def close(self):
        if self._open:
            try:
                self.backend.close()
            except Exception:  # closing a dead connection must not mask the real error
                log.debug("closing the SMTP connection failed", exc_info=True)
        self._open = False

    def send(self, template: MessageTemplate, parts: dict[str, str]):
        self.open()
        if not self.smtp_direct:
            try:
                self.backend.send_messages([template.as_django_message(parts)])
            except Exception as exc:  # an API provider's error (anymail) or the like
                raise classify_backend_error(exc) from exc
            return
        envelope_from = parts.get(RETURN_PATH) or template.envelope_from
        if envelope_from is None:  # parsed once per template, not per recipient
            envelope_from = template.envelope_from = self.backend_from(template.from_email)
        options = self._mail_options
        if parts.get(SMTPUTF8):
            if not self._smtputf8:
                raise PermanentFailure(
                    "the address has non-ASCII characters before the @, and the SMTP server "
                    "does not offer SMTPUTF8 (RFC 6531) to carry it", bounce=False)
            options = [*options, "SMTPUTF8"]
        try:
            # DKIM: the signature is over this recipient's bytes (a body hash and
            # one RSA signature); its header goes first, before the prebuilt rest.
            signature = (dkim_signature.signature_header(template.render(parts))
                         if dkim_signature.enabled() else b"")
            wire = template.render_wire(parts)
            if wire is None:
                self.backend.connection.sendmail(
                    envelope_from, [parts[TO]], signature + template.render(parts), options
                )
            else:
                self._sendmail_stuffed(envelope_from, parts[TO], signature + wire, options)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            self._after_refusal(code)
            if 400 <= code < 500:
                raise TemporaryFailure(_answer(code, text)) from exc
            raise PermanentFailure(_answer(code, text), bounce=True) from exc
        except smtplib.SMTPSenderRefused as exc:
            # The sender, not the subscriber, is refused: retry later, bounce nobody.
            self.close()
            raise TemporaryFailure(_answer(exc.smtp_code, exc.smtp_error),
                                   connection_lost=True) from exc
        except smtplib.SMTPResponseException as exc:  # e.g. DATA refused, 421 closing
            self._after_refusal(exc.smtp_code)
            if 400 <= exc.smtp_code < 500:
                raise TemporaryFailure(_answer(exc.smtp_code, exc.smtp_error),
                                       connection_lost=not self._open) from exc
            raise PermanentFailure(_answer(exc.smtp_code, exc.smtp_error), bounce=False) from exc
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            self.close()
            raise TemporaryFailure(f"connection lost: {exc}", connection_lost=True) from exc

    def _sendmail_stuffed(self, envelope_from: str, to: str, wire: bytes, options: list[str]):
        """smtplib's sendmail() for one recipient, step for step and with the same
        answers and exceptions, but for a payload that is already dot-stuffed
        and terminated (sendmail would run a regex over every message)."""
        smtp = self.backend.connection
        options = list(options)
        if smtp.does_esmtp and smtp.has_extn("size"):
            options.insert(0, f"size={len(wire)}")
        code, answer = smtp.mail(envelope_from, options)
        if code != 250:
            if code == 421:
                smtp.close()
            else:
                smtp._rset()
            raise smtplib.SMTPSenderRefused(code, answer, envelope_from)
        code, answer = smtp.rcpt(to)
        if code not in (250, 251):
            if code == 421:
                smtp.close()
            else:
                smtp._rset()
            raise smtplib.SMTPRecipientsRefused({to: (code, answer)})
        smtp.putcmd("data")
        code, answer = smtp.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, answer)
        smtp.send(wire)
        code, answer = smtp.getreply()
        if code != 250:
            if code == 421:
                smtp.close()
            else:
                smtp._rset()
            raise smtplib.SMTPDataError(code, answer)

    def _after_refusal(self, code):
        # 421 means the server is closing the connection; otherwise reset the
        # transaction so the connection can carry the next recipient.
        if code == 421:
            self.close()
            return
        try:
            self.backend.connection.rset()
        except (smtplib.SMTPException, OSError):
            self.close()

    @staticmethod
    def backend_from(from_header: str) -> str:
        from email.utils import parseaddr

        return parseaddr(from_header)[1] or settings.DEFAULT_FROM_EMAIL


def classify_backend_error(exc: Exception) -> Exception:
    """Sort an email API's error (django-anymail, without importing it) into a
    temporary or a permanent failure: refused recipients are permanent and
    bounce; 400-class answers other than 408/429 are permanent; everything
    else (429, 5xx, timeouts, network) is temporary."""
    if type(exc).__name__ == "AnymailRecipientsRefused":
        return PermanentFailure(f"provider refused the recipient: {exc}", bounce=True)
    status = getattr(exc, "status_code", None)
    if isinstance(status, int) and 400 <= status < 500 and status not in (408, 429):
        return PermanentFailure(f"provider answered {status}: {exc}", bounce=False)
    return TemporaryFailure(f"provider error: {exc}", connection_lost=True)


class RateLimiter:
    """At most `per_second` messages a second in this process (0: no limit)."""

    def __init__(self, per_second: float):
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self.next_at = time.monotonic()

    def wait(self):
        if not self.interval:
            return
        now = time.monotonic()
        if self.next_at > now:
            time.sleep(self.next_at - now)
        self.next_at = max(now, self.next_at) + self.interval
