"""Bounces and complaints that arrive by email: RFC 3464 delivery status
notifications (DSNs), RFC 5965 abuse reports (ARF), and the non-standard
bounces some servers still write.

`reports_in(raw)` reads one such message and says what it reports, as
newsletter.bounces.Report values for bounces.event_record:
- which addresses failed for good or for now: flufl.bounce, whose detectors
  know the DSN and the dialects of Postfix, Exim, qmail, Exchange, Yahoo ...;
  the DSN's own Diagnostic-Code becomes the reason;
- which delivery it is about: the VERP address it was sent back to
  (newsletter/verp.py), else the original Message-ID, else the address;
- an ARF report (Feedback-Type: abuse) is a complaint.

A message sent to one of our VERP addresses whose failures no detector can
read is still counted, as a soft bounce of that delivery. One sent to a VERP
address with a forged or unknown token is ignored, and logged.
"""

import email
import email.message
import email.utils
import hashlib
import logging
from dataclasses import dataclass, field

from flufl.bounce import all_failures

from newsletter import verp
from newsletter.bounces import Kind, Report

log = logging.getLogger(__name__)

# Where the address a bounce was sent to (our VERP address) is found.
ENVELOPE_HEADERS = ("X-Original-To", "Delivered-To", "Envelope-To", "X-Envelope-To", "To")
SOURCE_DSN, SOURCE_ARF = "dsn", "arf"


@dataclass
class Reading:
    """What one message reported, or why it was ignored."""

    reports: list[Report] = field(default_factory=list)
    ignored: str = ""


def _text(value) -> str:
    return str(value or "").strip()


def _address(value) -> str:
    """The bare address of an `rfc822; someone@example.org` field or a header."""
    value = _text(value)
    if ";" in value:
        value = value.split(";", 1)[1]
    return email.utils.parseaddr(value)[1] or value.strip("<> ")


def _parts(message, content_type):
    return [part for part in message.walk() if part.get_content_type() == content_type]


def _original_headers(message):
    """The headers of the message that bounced, when the report includes them."""
    for content_type in ("message/rfc822", "text/rfc822-headers"):
        for part in _parts(message, content_type):
            payload = part.get_payload()
            if isinstance(payload, list) and payload:
                return payload[0]
            if isinstance(payload, str):
                return email.message_from_string(payload)
    return None


def _verp_delivery(message, original) -> int | None:
    """Raises verp.ForgedToken for a VERP address that does not verify."""
    for header in ENVELOPE_HEADERS:
        for value in message.get_all(header) or []:
            found = verp.find_delivery(_text(value))
            if found:
                return found
    if original is not None:
        return verp.find_delivery(_text(original.get("Return-Path")))
    return None


def _event_id(message, raw: bytes, recipient: str) -> str:
    """The report's Message-ID and the address, so a report read twice is one event."""
    report_id = _text(message.get("Message-ID")) or hashlib.sha256(raw).hexdigest()
    return f"{report_id[:150]}:{recipient.lower()}"[:200]


def _diagnostics(message) -> dict[str, tuple[str, str]]:
    """{address: (status, diagnostic)} from the DSN's per-recipient fields."""
    found = {}
    for part in _parts(message, "message/delivery-status"):
        blocks = part.get_payload()
        for block in blocks if isinstance(blocks, list) else []:
            recipient = _address(block.get("Final-Recipient") or block.get("Original-Recipient"))
            if recipient:
                diagnostic = " ".join(_text(block.get("Diagnostic-Code")).split())
                found[recipient.lower()] = (_text(block.get("Status")), diagnostic)
    return found


def reports_in(raw: bytes) -> Reading:
    message = email.message_from_bytes(raw)
    original = _original_headers(message)
    try:
        delivery_id = _verp_delivery(message, original)
    except verp.ForgedToken as exc:
        log.warning("report ignored: forged or unknown VERP address %s", exc)
        return Reading(ignored="forged or unknown VERP address")
    message_id = _text(original.get("Message-ID")) if original is not None else ""

    feedback = _parts(message, "message/feedback-report")
    if feedback:
        fields = feedback[0].get_payload()
        fields = fields[0] if isinstance(fields, list) and fields else message
        recipient = _address(fields.get("Original-Rcpt-To")) or (
            _address(original.get("To")) if original is not None else "")
        if not delivery_id:
            try:
                delivery_id = verp.find_delivery(_text(fields.get("Original-Mail-From")))
            except verp.ForgedToken:
                return Reading(ignored="forged or unknown VERP address")
        kind = _text(fields.get("Feedback-Type")).lower() or "abuse"
        return Reading(reports=[Report(
            kind=Kind.COMPLAINED, source=SOURCE_ARF,
            event_id=_event_id(message, raw, recipient or str(delivery_id)),
            recipient=recipient, delivery_id=delivery_id, message_id=message_id,
            description=f"{kind} report from {_text(fields.get('User-Agent')) or 'a mailbox'}",
        )])

    try:
        temporary, permanent = all_failures(message)
    except Exception:  # a detector tripping over an odd message (no From, ...)
        log.info("no bounce detector could read the message", exc_info=True)
        temporary, permanent = frozenset(), frozenset()
    diagnostics = _diagnostics(message)
    reports = []
    for kind, addresses in ((Kind.BOUNCED, permanent), (Kind.SOFT_BOUNCE, temporary)):
        for address in sorted(addresses):
            recipient = address.decode("utf-8", "replace") if isinstance(address, bytes) \
                else str(address)
            status, diagnostic = diagnostics.get(recipient.lower(), ("", ""))
            reports.append(Report(
                kind=kind, source=SOURCE_DSN, event_id=_event_id(message, raw, recipient),
                recipient=recipient, delivery_id=delivery_id, message_id=message_id,
                description=" ".join(filter(None, (status, diagnostic))) or _text(
                    message.get("Subject")),
            ))
    if not reports and delivery_id:
        reports.append(Report(
            kind=Kind.SOFT_BOUNCE, source=SOURCE_DSN,
            event_id=_event_id(message, raw, str(delivery_id)), delivery_id=delivery_id,
            message_id=message_id,
            description="unrecognised report: " + _text(message.get("Subject"))[:200],
        ))
    if not reports:
        return Reading(ignored="not a bounce or complaint report")
    return Reading(reports=reports)


def report_record(raw: bytes) -> Reading:
    """Read one report and record what it says (bounces.event_record, each
    event once however often the same report is read)."""
    from newsletter.bounces import event_record

    reading = reports_in(raw)
    for report in reading.reports:
        event_record(report)
    return reading
