"""Finding English on a page or in an email that claims another language.

What a reader sees is collected from HTML (text, and the attributes people or
screen readers meet: title, alt, aria-label, placeholder, the page's title and
description meta) except inside an element marked lang="en" (a language's own
name on the language switch, a name not yet translated), and from plain text
and feeds. Then every run of three or more Latin letters that is not the site's
name, a format's name or part of an address is English leaking through.
"""

import re
from html.parser import HTMLParser

from django.conf import settings

ALLOWED = {
    *settings.SITE_NAME.split(), "RSS", "Atom", "JSON", "English", "Email", "mailto",
    "Telegram", "YouTube",  # brand names in the demo articles
}
_ADDRESS = re.compile(r"(https?://|mailto:)\S+|[\w.+-]+@[\w.-]+\.\w+|\b[\w-]+\.(org|com|net)\b")
_LATIN = re.compile(r"[A-Za-z]{3,}")
_SEEN_ATTRIBUTES = {"title", "alt", "aria-label", "placeholder"}
_META = {"description", "og:title", "og:description", "twitter:title", "twitter:description"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, is English)
        self.seen: list[str] = []

    def _english(self):
        return any(english for _tag, english in self.stack)

    def _skipped(self):
        return any(tag in ("script", "style") for tag, _e in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        english = (attrs.get("lang") or "").startswith("en") and tag != "html"
        if not (self._english() or english):
            for name in _SEEN_ATTRIBUTES & set(attrs):
                self.seen.append(attrs[name] or "")
            if tag == "meta" and (attrs.get("name") in _META or attrs.get("property") in _META):
                self.seen.append(attrs.get("content") or "")
        if tag not in _VOID:
            self.stack.append((tag, english))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not self._skipped() and not self._english():
            self.seen.append(data)


def visible_html(html: str) -> str:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return "\n".join(reader.seen)


def english_words(text: str) -> list[str]:
    text = _ADDRESS.sub(" ", text)
    return [word for word in _LATIN.findall(text) if word not in ALLOWED]


def leaks_in_html(html: str) -> list[str]:
    return english_words(visible_html(html))


def leaks_in_feed(xml: str) -> list[str]:
    parts = re.findall(r"<(title|description|subtitle|summary|name|category)[^>]*>(.*?)</\1>",
                       xml, flags=re.S)
    from html import unescape

    text = "\n".join(unescape(value) for _tag, value in parts)
    return english_words(re.sub(r"<[^>]+>", " ", unescape(text)))
