"""Rich-text sanitising for article bodies (nh3, the Rust ammonia library).

An allow-list: only the tags and attributes an analytical text needs; links
only to http(s) and mailto; everything else — script, style, event handlers,
SVG, MathML, javascript: and data: URLs — is removed.
"""

import html as html_module
import re

import nh3

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "blockquote", "ul", "ol", "li", "strong", "em", "b", "i",
    "u", "s", "sub", "sup", "a", "hr", "abbr", "cite", "q", "code", "pre", "figure",
    "figcaption", "img", "table", "thead", "tbody", "tr", "th", "td", "caption",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


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
