"""The bounce mailbox (BOUNCE_MAILBOX_URL=imaps://user:password@host/INBOX):
every message in it is read as a bounce or complaint report
(newsletter/reports.py), recorded, and only then deleted. A message whose
processing fails stays in the mailbox for the next round.

Beat runs `mailbox_process` every minute; its last outcome is kept in the
cache for /healthz and the admin (`mailbox_status`). An unreachable server is
reported there and tried again next round, never a crash loop.
"""

import contextlib
import imaplib
import logging
import ssl
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from newsletter import reports

log = logging.getLogger(__name__)

STATUS_KEY = "newsletter:bounce-mailbox-status"
TIMEOUT_SECONDS = 30


class MailboxUnavailable(Exception):
    """The mailbox could not be reached or read; the message says why."""


class MailboxMisconfigured(MailboxUnavailable):
    """BOUNCE_MAILBOX_URL itself is wrong."""


def _connect(url: str):
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps") or not parts.hostname or not parts.username:
        raise MailboxMisconfigured(
            "BOUNCE_MAILBOX_URL is malformed (imaps://user:password@host/INBOX)")
    folder = unquote(parts.path.lstrip("/")) or "INBOX"
    try:
        if parts.scheme == "imaps":
            client = imaplib.IMAP4_SSL(parts.hostname, parts.port or 993,
                                       ssl_context=ssl.create_default_context(),
                                       timeout=TIMEOUT_SECONDS)
        else:
            client = imaplib.IMAP4(parts.hostname, parts.port or 143, timeout=TIMEOUT_SECONDS)
        client.login(unquote(parts.username), unquote(parts.password or ""))
        kind, _data = client.select(_quoted(folder))
        if kind != "OK":
            raise MailboxUnavailable(f"no folder {folder!r} in the bounce mailbox")
    except (TimeoutError, OSError, imaplib.IMAP4.error) as exc:
        raise MailboxUnavailable(f"cannot read the bounce mailbox at {parts.hostname}: {exc}") \
            from exc
    return client


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def mailbox_process(url: str | None = None) -> dict:
    """Read, record and delete every message in the bounce mailbox.

    Returns counts: processed (recorded reports), ignored (not a report, or a
    forged VERP address: deleted too, there is nothing more to learn from
    them), failed (left in the mailbox). Raises MailboxUnavailable.
    """
    url = url if url is not None else settings.BOUNCE_MAILBOX_URL
    counts = {"processed": 0, "ignored": 0, "failed": 0}
    client = _connect(url)
    try:
        try:
            kind, data = client.uid("SEARCH", None, "NOT", "DELETED")
            uids = data[0].split() if kind == "OK" and data and data[0] else []
            for uid in uids:
                kind, fetched = client.uid("FETCH", uid, "(BODY.PEEK[])")
                raw = next((item[1] for item in fetched or []
                            if isinstance(item, tuple) and len(item) > 1), None)
                if kind != "OK" or raw is None:
                    counts["failed"] += 1
                    continue
                try:
                    reading = reports.report_record(raw)
                except Exception:
                    log.exception("bounce mailbox message %s could not be processed", uid)
                    counts["failed"] += 1
                    continue
                counts["ignored" if reading.ignored else "processed"] += 1
                # Recorded (committed) first, deleted after: a crash in between
                # reads it again, and recording it twice changes nothing.
                client.uid("STORE", uid, "+FLAGS", r"(\Deleted)")
            client.expunge()
        except (OSError, imaplib.IMAP4.error) as exc:
            raise MailboxUnavailable(f"the bounce mailbox stopped answering: {exc}") from exc
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            client.logout()
    return counts


def mailbox_poll() -> dict:
    """Beat's round: process the mailbox if one is configured, and keep the
    outcome for /healthz and the admin. Never raises for an unreachable server."""
    if not settings.BOUNCE_MAILBOX_URL:
        return {"configured": False}
    now = timezone.now().isoformat()
    try:
        counts = mailbox_process()
    except MailboxUnavailable as exc:
        log.warning("%s", exc)
        previous = mailbox_status() or {}
        status = {"ok": False, "error": str(exc), "checked_at": now,
                  "last_ok_at": previous.get("last_ok_at")}
    else:
        status = {"ok": True, "error": "", "checked_at": now, "last_ok_at": now, **counts}
    cache.set(STATUS_KEY, status, None)
    return status


def mailbox_status() -> dict | None:
    """The last round's outcome, or None before the first (or without a mailbox)."""
    if not settings.BOUNCE_MAILBOX_URL:
        return None
    return cache.get(STATUS_KEY)
