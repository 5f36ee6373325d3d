"""Plain text as it may be stored: no control characters.

Word writes a soft line break as U+000B (vertical tab); pasted text brings
NUL, form feeds and other C0 controls. XML 1.0 cannot carry them (a feed with
one fails), PostgreSQL refuses NUL, and no reader can see them. So every text
field of Bulletin's and the newsletter's models is cleaned on every save
(`clean_instance`, connected to pre_save in bulletin/apps.py), whatever the
path: the admin, a service, an import or the demo data.

What is kept: in multi-line fields (TextField) tab, newline and carriage
return; in single-line fields (CharField) none of them. Line-breaking controls
(vertical tab, form feed, and in single-line fields tab and newlines) become a
line break or a space, so words on either side do not run together; the rest
(NUL, backspace, escape, DEL, the C1 range) are removed.
"""

import re

from django.db import models

_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # VT, FF, separators, NEL, LS, PS
_REMOVE = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f\x80-\x84\x86-\x9f]")
_TO_NEWLINE = re.compile(f"[{_BREAKS}]")
_TO_SPACE = re.compile(f"[\t\r\n{_BREAKS}]+")


def clean_text(value: str, *, multiline: bool) -> str:
    """`value` without control characters (module docstring)."""
    if not value:
        return value
    value = _REMOVE.sub("", value)
    if multiline:
        return _TO_NEWLINE.sub("\n", value)
    return _TO_SPACE.sub(" ", value)


def breaks_a_header(text: str) -> bool:
    """Whether `text` holds a character that would end or corrupt an email
    header line (any C0 or C1 control, tab and newline included, or a Unicode
    line separator): such a sender name or subject is refused, not cleaned."""
    return any(ord(c) < 32 or 127 <= ord(c) < 160 or c in "\u2028\u2029" for c in text or "")


def has_control_characters(value: str) -> bool:
    return bool(value) and clean_text(value, multiline=True) != value


def clean_instance(instance) -> None:
    """Clean every text field of a model instance in place."""
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        value = getattr(instance, field.attname)
        if isinstance(value, str) and value:
            setattr(
                instance, field.attname,
                clean_text(value, multiline=isinstance(field, models.TextField)),
            )


def clean_on_save(sender, instance, raw=False, **kwargs):
    """pre_save receiver (fixtures loaded raw are cleaned too: they are stored text)."""
    if sender._meta.app_label in CLEANED_APPS:
        clean_instance(instance)


CLEANED_APPS = {"bulletin", "newsletter"}
