"""What a revision of an article holds, and how two states of it compare.

Revisions are our own small table (`models.Revision`), not django-reversion or
django-simple-history: field-level merging needs, under the article's row
lock and in the same transaction as the save, the exact state a writer's form
was opened at, looked up by the article's version number. simple-history
builds its history model when the model class is prepared, before
modeltranslation adds the per-language columns, so `title_be` would be
missing from it; reversion keeps whole-model serialisations without a
per-object sequence or the list of fields that changed, both of which we
would have had to add next to it anyway. A JSON snapshot of a dozen fields is
all the storage needs.
"""

import re

from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode

from bulletin.models import Byline, language_codes
from bulletin.sanitize import sanitize_html

# Translated text, per language: title_en, lead_en, body_en, ...
TEXT_FIELDS = ("title", "lead", "body")
# Fields of the article that are not text but are its content all the same.
OTHER_FIELDS = ("issue", "topic", "slug", "trend", "position", "lead_image", "authors")
# Of those, the foreign keys: recorded by id.
KEY_FIELDS = ("issue", "topic", "lead_image")
# The byline, its own table (Byline): recorded as the authors' ids in order. A
# form or a script sets `pending_author_ids` on the instance it saves; without
# it, the stored byline.
AUTHORS = "authors"
# Recorded, not written: the uploaded images each language's body shows (ids, in
# order), derived from the body's figures, so that a revision lists them.
IMAGES = "images"
RICH_TEXT_FIELDS = ("lead", "body")
# The public correction note is recorded too, but is not the article's text:
# changing it does not make translations stale.
NOTE_FIELDS = ("correction_note",)


def text_field_names(language: str) -> list[str]:
    return [f"{field}_{language}" for field in TEXT_FIELDS]


def revisioned_fields() -> list[str]:
    """Every field a revision records, in the order the admin shows them."""
    return [
        *OTHER_FIELDS,
        *(f"{f}_{c}" for c in language_codes() for f in (*TEXT_FIELDS, *NOTE_FIELDS)),
    ]


def recorded_fields() -> list[str]:
    """What a revision stores: the revisioned fields and the images of each body."""
    return [*revisioned_fields(), *(f"{IMAGES}_{c}" for c in language_codes())]


def image_field_language(name: str) -> str | None:
    base, _sep, code = name.rpartition("_")
    return code if base == IMAGES and code in language_codes() else None


def attribute(name: str) -> str:
    """The model attribute a revisioned field is written to (a key by its id)."""
    return f"{name}_id" if name in KEY_FIELDS else name


def field_language(name: str) -> str | None:
    base, _sep, code = name.rpartition("_")
    return code if base in TEXT_FIELDS and code in language_codes() else None


def normalise(name: str, value):
    """The stored form of a value as a form or a model holds it, so that a field
    the writer did not touch compares equal to what they were shown (the browser
    sends textarea lines with CRLF; rich text is sanitised on save)."""
    if name == AUTHORS:
        return [getattr(author, "pk", author) for author in dict.fromkeys(value or [])]
    if hasattr(value, "pk"):
        return value.pk
    if value is None:
        return "" if name not in (*KEY_FIELDS, "position") else None
    if isinstance(value, str):
        value = value.replace("\r\n", "\n")
        base = name.rpartition("_")[0]
        if base in RICH_TEXT_FIELDS and value:
            value = sanitize_html(value)
    return value


def author_ids(article) -> list[int]:
    """The byline of `article` as ids in order: the one about to be saved
    (`pending_author_ids`), else the stored one."""
    pending = getattr(article, "pending_author_ids", None)
    if pending is not None:
        return normalise(AUTHORS, pending)
    if article.pk is None:
        return []
    return list(Byline.objects.filter(article_id=article.pk).order_by("position", "pk")
                .values_list("author_id", flat=True))


def snapshot(article) -> dict:
    """The recorded content of an article instance (saved or not)."""
    values = {}
    for name in revisioned_fields():
        if name == AUTHORS:
            values[name] = author_ids(article)
            continue
        attribute = f"{name}_id" if name in KEY_FIELDS else name
        values[name] = normalise(name, getattr(article, attribute, None))
    for code in language_codes():
        values[f"{IMAGES}_{code}"] = body_images(values.get(f"body_{code}", ""))
    return values


_FIGURE_FILE = re.compile(r'<img\b[^>]*\bdata-file="(\d+)"')


def body_images(body: str) -> list[int]:
    """The uploaded images a (sanitised) body shows, in order, once each."""
    return list(dict.fromkeys(int(found) for found in _FIGURE_FILE.findall(body or "")))


def merge_plan(fields, *, seen: dict, current: dict, mine: dict):
    """Field-level merge of one writer's form: (the fields they changed since
    they opened it, the ones of those someone else changed to something else)."""
    changed = [name for name in fields if mine[name] != seen[name]]
    clashing = [
        name for name in changed if current[name] != seen[name] and mine[name] != current[name]
    ]
    return changed, clashing


ISSUE_OTHER_FIELDS = ("number", "start_date")
ISSUE_TEXT_FIELDS = ("title", "summary")


def issue_fields() -> list[str]:
    return [*ISSUE_OTHER_FIELDS,
            *(f"{f}_{c}" for c in language_codes() for f in ISSUE_TEXT_FIELDS)]


def issue_snapshot(issue=None, values: dict | None = None) -> dict:
    """An issue's editable content as JSON-able values (from an instance or a form)."""
    snapshot = {}
    for name in issue_fields():
        value = values[name] if values is not None and name in values else getattr(
            issue, name, None)
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif isinstance(value, str):
            value = value.replace("\r\n", "\n")
        snapshot[name] = "" if value is None and name not in ISSUE_OTHER_FIELDS else value
    return snapshot


def changed_fields(before: dict, after: dict) -> list[str]:
    return [name for name in recorded_fields() if before.get(name) != after.get(name)]


def changed_languages(fields) -> list[str]:
    return sorted({code for code in map(field_language, fields) if code})


def compare_url(article, old: int, new: int | None = None, language: str | None = None) -> str:
    """The admin page comparing two revisions of `article` (new: the current one)."""
    query = {"from": old, "to": new or article.version}
    if language:
        query["language"] = language
    return reverse("admin:bulletin_article_compare", args=[article.pk]) + "?" + urlencode(query)


def stale_diff_url(article, language: str) -> str | None:
    """For a stale translation: the source language's diff from the revision this
    translation was last saved at to the current one (None when not stale or
    when the article has no recorded revisions)."""
    if article.translation_state(language) != "stale":
        return None
    since = article.text_revisions.get(language)
    if not since or since >= article.version:
        return None
    return compare_url(article, since, language=settings.MODELTRANSLATION_DEFAULT_LANGUAGE)
