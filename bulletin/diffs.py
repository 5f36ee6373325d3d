"""Word-level diffs of article text, for editors and translators.

The standard library's `difflib.SequenceMatcher` does the matching: it is
maintained with Python itself, needs no dependency, and is good at what this
needs (a few thousand words, changes an editor made by hand). It runs on word
tokens, not characters: a word is what an editor reads and what a translator
has to update, and `\\w` is Unicode-aware, so Cyrillic splits into words just
as Latin does. Rich text is compared as the text a reader sees, paragraph by
paragraph, whatever editor produced the HTML: a changed tag alone (bold
added) is not a change of words.
"""

import difflib
import html
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_BLOCK_TAG = re.compile(
    r"</?(?:p|h[1-6]|li|blockquote|tr|caption|figcaption|pre|br|hr|ul|ol|table|figure)\b[^>]*>",
    re.IGNORECASE,
)
_IMAGE = re.compile(r"<img\b[^>]*?\balt=\"([^\"]*)\"[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
# A word or one punctuation mark, with the spaces after it: changes are marked
# per word, and a space alone never splits a changed phrase into pieces.
_TOKEN = re.compile(r"\w+\s*|[^\w\s]\s*|\s+")


@dataclass(frozen=True)
class Diff:
    html: SafeString
    inserted: int
    deleted: int

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.deleted)


def html_to_text(value: str) -> str:
    """The words of rich text, one paragraph per block, images by their alt text."""
    text = _IMAGE.sub(lambda m: f"\n[{m.group(1)}]\n", value or "")
    text = _BLOCK_TAG.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n\n".join(line for line in lines if line)


def word_diff(old: str, new: str) -> Diff:
    """`old` → `new` as escaped HTML with <del> and <ins> around changed words."""
    a, b = _TOKEN.findall(old or ""), _TOKEN.findall(new or "")
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    parts, inserted, deleted = [], 0, 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            deleted += sum(1 for t in a[i1:i2] if not t.isspace())
            parts.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            inserted += sum(1 for t in b[j1:j2] if not t.isspace())
            parts.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return Diff(html=mark_safe("".join(parts)), inserted=inserted, deleted=deleted)  # noqa: S308 - every part is escaped above


def text_diff(field: str, old: str, new: str) -> Diff:
    """A diff of one text field: rich text (lead, body) as its words, a title as is."""
    if field in ("lead", "body"):
        return word_diff(html_to_text(old), html_to_text(new))
    return word_diff(old or "", new or "")
