"""Rich text: what the admin's editor offers and what the server keeps, defined once.

`BODY_EXTENSIONS` and `LEAD_EXTENSIONS` configure django-prose-editor's
toolbar (bulletin/admin.py); the nh3 allow-list that every save applies
(Article.save) is derived from the same dicts by the package's own
`allowlist_from_extensions`, so the editor can produce exactly what the
sanitiser keeps. Links only to http(s) and mailto; everything else — script,
style, event handlers, SVG, MathML, javascript: and data: URLs, Word's
`mso-*` styles, `<span>`/`<font>` soup, classes and comments — is removed.
"""

import functools
import html as html_module
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3
from django_prose_editor.config import allowlist_from_extensions

URL_SCHEMES = {"http", "https", "mailto"}
_LINK = {"enableTarget": False, "protocols": sorted(URL_SCHEMES)}

# The article body: paragraphs, h2/h3, bold, italic, links, lists, quotes,
# simple tables and figures (an uploaded Image, bulletin/images.py, with its caption).
BODY_EXTENSIONS = {
    "Heading": {"levels": [2, 3]},
    "Bold": True,
    "Italic": True,
    "Subscript": True,
    "Superscript": True,
    "HardBreak": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "Link": _LINK,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "Figure": True,
    "Caption": True,
    "Image": True,
    "PasteHeadings": True,  # static/bulletin/prose_paste.js (config/settings.py)
}
# The lead: one paragraph of inline text.
LEAD_EXTENSIONS = {"Bold": True, "Italic": True, "Link": _LINK, "HardBreak": True}


@functools.cache
def _cleaner(kind: str) -> nh3.Cleaner:
    allow = allowlist_from_extensions(BODY_EXTENSIONS if kind == "body" else LEAD_EXTENSIONS)
    attributes = {tag: set(names) for tag, names in allow["attributes"].items()}
    # Our links carry rel="noopener noreferrer" set here, never one typed in;
    # the figure's one class is the editor's own.
    attributes.get("a", set()).discard("rel")
    attributes.pop("figure", None)
    return nh3.Cleaner(
        tags=set(allow["tags"]),
        attributes=attributes,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        # Word's <style> and <xml> blocks: dropped with their content, not left as text.
        clean_content_tags={"script", "style", "xml", "title", "head"},
        attribute_filter=_filter_attribute,
    )


def _filter_attribute(tag, attribute, value):
    # The link dialog sends title="" when the analyst leaves the field blank.
    if attribute == "title" and not value.strip():
        return None
    # nh3 keeps what looks like a relative URL ("www.example.org", "htp:/typo"):
    # a link goes only to a web or email address, a path on this site or an anchor.
    if tag == "a" and attribute == "href" and not _good_href(value):
        return None
    return value


# A link whose target was removed is left as its text.
_HOLLOW_LINK = re.compile(r'<a rel="noopener noreferrer">(.*?)</a>', re.S)


def allowed_tags(kind: str = "body") -> set[str]:
    """The tags the editor of `kind` ("body" or "lead") produces and the sanitiser keeps."""
    extensions = BODY_EXTENSIONS if kind == "body" else LEAD_EXTENSIONS
    return set(allowlist_from_extensions(extensions)["tags"])


_EMPTY = re.compile(r"^\s*(<p>\s*(<br>)?\s*</p>\s*)*$")


def sanitize_html(html: str, kind: str = "body") -> str:
    """Keep only what the editor of `kind` can produce; an empty editor ("<p></p>")
    is stored as the empty string, so that the language counts as missing."""
    cleaned = _HOLLOW_LINK.sub(r"\1", _cleaner(kind).clean(_semantic_markup(html or "")))
    return "" if _EMPTY.match(cleaned) else cleaned


_WEIGHT = re.compile(r"(?<![-\w])font-weight\s*:\s*(bold|[6-9]00)", re.I)
_NORMAL_WEIGHT = re.compile(r"(?<![-\w])font-weight\s*:\s*(normal|[1-4]00)", re.I)
_ITALIC = re.compile(r"(?<![-\w])font-style\s*:\s*italic", re.I)
_RENAMED = {"b": "strong", "i": "em", "h1": "h2", "h4": "h3", "h5": "h3", "h6": "h3"}


class _SemanticMarkup(HTMLParser):
    """Word, LibreOffice and Google Docs say bold and italic with <b>, <i> and
    styled <span>s, which the allow-list would drop with their meaning: this
    turns them into <strong>/<em> (and h1/h4-h6 into the editor's h2/h3) before
    sanitising. Google Docs wraps a whole paste in <b style="font-weight:normal">,
    which is not bold. Not a security boundary: nh3 runs after it."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.stack: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        style = dict(attrs).get("style") or ""
        closing = []
        if tag == "b" and _NORMAL_WEIGHT.search(style):
            self.stack.append(closing)
            return
        if tag in ("span", "font"):
            if _WEIGHT.search(style):
                self.out.append("<strong>")
                closing.insert(0, "</strong>")
            if _ITALIC.search(style):
                self.out.append("<em>")
                closing.insert(0, "</em>")
            self.stack.append(closing)
            return
        if tag in _RENAMED:
            self.stack.append([f"</{_RENAMED[tag]}>"])
            tag = _RENAMED[tag]
        elif tag in ("b", "i"):
            self.stack.append([])
        self.out.append(self._tag(tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.out.append(self._tag(tag, attrs, close=True))

    def handle_endtag(self, tag):
        if tag in ("b", "i", "span", "font", *_RENAMED):
            if self.stack:
                self.out.extend(self.stack.pop())
            return
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.out.append(data)

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    @staticmethod
    def _tag(tag, attrs, close=False):
        text = "".join(
            f' {name}="{html_module.escape(value or "", quote=True)}"' for name, value in attrs
        )
        return f"<{tag}{text}{' /' if close else ''}>"


def _semantic_markup(html: str) -> str:
    if not re.search(r"<(b|i|span|font|h[1456])\b", html, re.I):
        return html
    parser = _SemanticMarkup()
    parser.feed(html)
    parser.close()
    return "".join(parser.out)


_HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)


def bad_links(html: str) -> list[str]:
    """The link targets in `html` that are not a web address (http/https with a
    host), a mailto: address, a path on this site or an anchor: what the
    sanitiser would drop, so the form can say so instead."""
    found = []
    for match in _HREF.finditer(html or ""):
        href = html_module.unescape(next(g for g in match.groups() if g is not None)).strip()
        if not _good_href(href):
            found.append(href)
    return found


def _good_href(href: str) -> bool:
    href = href.strip()
    if href.startswith(("/", "#")) and not href.startswith("//"):
        return True
    try:
        parts = urlsplit(href)
        host = parts.hostname
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    return bool(scheme in ("http", "https") and host and "." in host) or (
        scheme == "mailto" and "@" in parts.path
    )


_IMAGE_REF = re.compile(r'<img\b[^>]*\bdata-file="(\d+)"')


def body_image_ids(*bodies: str) -> set[int]:
    """The ids of the uploaded Images that sanitised bodies show (their figures'
    `data-file`, which the editor's image picker sets)."""
    return {int(found) for body in bodies for found in _IMAGE_REF.findall(body or "")}


_BLOCK_TAG = re.compile(
    r"</?(?:p|br|h[1-6]|blockquote|ul|ol|li|hr|figure|figcaption|table|thead|tbody|tr|th|td"
    r"|caption|pre|div|img)\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]*>")


def plain_text(html: str) -> str:
    """The words of rich text, for snippets, descriptions and plain-text email:
    block tags become spaces (so paragraphs do not run together), inline tags
    (em, a, ...) vanish (so "<a>report</a>." stays "report."), entities are
    decoded, spaces collapsed."""
    text = _ANY_TAG.sub("", _BLOCK_TAG.sub(" ", html or ""))
    return " ".join(html_module.unescape(text).split())
