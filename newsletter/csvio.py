"""Subscriber lists as CSV: reading an upload (no writes here) and writing an export.

Reading checks the whole file before anything is stored: a file-level problem
(not UTF-8, no header naming the columns) rejects the file with one message;
a row-level problem (bad address, unknown language, duplicate, wrong number of
columns) is reported with its line number and never stops the good rows.
"""

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from bulletin.errors import UserError
from newsletter import addresses

EMAIL_HEADERS = {"email", "e-mail", "email address", "e-mail address", "mail"}
LANGUAGE_HEADERS = {"language", "lang", "language code"}
EXPORT_COLUMNS = [
    "email", "language", "status", "created_at", "confirmed_at", "unsubscribed_at",
    "consent_at", "consent_source", "consent_version",
]


class FileRejected(UserError):
    """The file as a whole cannot be read; the message is for the editor."""


@dataclass(frozen=True)
class Row:
    line: int
    email: str  # normalised
    language: str


@dataclass(frozen=True)
class Problem:
    line: int
    value: str
    reason: str


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileRejected(_(
            "The file is UTF-16 (Excel's “Unicode text”). Save it as “CSV UTF-8” "
            "and upload it again."
        ))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileRejected(_(
            "The file is not UTF-8 text (the first character that is not is on line "
            "%(line)d). Save it as “CSV UTF-8” and upload it again."
        ) % {"line": line}) from None
    if "\x00" in text:
        raise FileRejected(_("This is not a CSV text file."))
    return text


def _delimiter(first_line: str) -> str:
    # Excel writes ";" where the decimal separator is a comma (be, ru locales).
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def parse(data: bytes, *, languages: set[str], default_language: str = "") -> Parsed:
    """Validate every row of an uploaded list; FileRejected if the file is unreadable.

    `languages` are the newsletter's languages; `default_language` is used for
    rows that give none (or when there is no language column).
    """
    text = decode(data)
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    site_languages = {code for code, _name in settings.LANGUAGES}
    parsed = Parsed()
    seen: dict[str, int] = {}
    header = None
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = [cell.strip().lower() for cell in cells]
                email_col = next((i for i, h in enumerate(header) if h in EMAIL_HEADERS), None)
                language_col = next(
                    (i for i, h in enumerate(header) if h in LANGUAGE_HEADERS), None
                )
                if email_col is None:
                    raise FileRejected(_(
                        "The first line must name the columns, with one called “email” "
                        "(and optionally “language”); this file's first line is: %(line)s"
                    ) % {"line": ", ".join(cells)[:200]})
                if language_col is None and not default_language:
                    raise FileRejected(_(
                        "The file has no “language” column: add one, or choose the "
                        "language for rows without one."
                    ))
                continue
            raw = ",".join(cells)[:300]
            if len(cells) != len(header):
                parsed.problems.append(Problem(line, raw, _(
                    "wrong number of columns: expected %(expected)d, found %(found)d"
                ) % {"expected": len(header), "found": len(cells)}))
                continue
            value = cells[email_col].strip()
            try:
                email = addresses.clean_email(value)
            except ValidationError as exc:
                parsed.problems.append(Problem(line, value[:300], _("bad address: %(why)s") % {
                    "why": exc.messages[0]}))
                continue
            language = cells[language_col].strip().lower() if language_col is not None else ""
            language = language or default_language
            if not language:
                parsed.problems.append(Problem(line, value, _("no language given")))
                continue
            if language not in languages:
                reason = (
                    _("the newsletter does not go out in “%(language)s”")
                    if language in site_languages
                    else _("unknown language “%(language)s”")
                )
                parsed.problems.append(Problem(line, value, reason % {"language": language[:20]}))
                continue
            key = email.lower()
            if key in seen:
                parsed.problems.append(Problem(line, value, _(
                    "duplicate of line %(line)d in this file") % {"line": seen[key]}))
                continue
            seen[key] = line
            parsed.rows.append(Row(line, email, language))
    except csv.Error as exc:
        raise FileRejected(_("The file cannot be read as CSV at line %(line)d (%(error)s).") % {
            "line": reader.line_num, "error": exc}) from None
    if header is None:
        raise FileRejected(_("The file is empty."))
    return parsed


class _Echo:
    def write(self, value):
        return value


def _cell(value) -> str:
    text = "" if value is None else str(value)
    # A cell starting with = + - @ is a formula to a spreadsheet (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_lines(subscribers: Iterable) -> Iterator[str]:
    """CSV lines (header first) for a streaming response; re-importable."""
    writer = csv.writer(_Echo())
    yield writer.writerow(EXPORT_COLUMNS)
    for subscriber in subscribers:
        yield writer.writerow([
            _cell(subscriber.email),
            subscriber.language,
            subscriber.status,
            *(
                value.isoformat() if value else ""
                for value in (
                    subscriber.created_at, subscriber.confirmed_at,
                    subscriber.unsubscribed_at, subscriber.consent_at,
                )
            ),
            _cell(subscriber.consent_source),
            _cell(subscriber.consent_version),
        ])


def problems_lines(problems: Iterable[Problem]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(["line", "value", "reason"])
    for problem in problems:
        yield writer.writerow([problem.line, _cell(problem.value), problem.reason])
