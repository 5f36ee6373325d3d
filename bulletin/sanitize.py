"""Rich-text sanitising for article bodies (nh3, the Rust ammonia library).

An allow-list: only the tags and attributes an analytical text needs; links
only to http(s) and mailto; everything else — script, style, event handlers,
SVG, MathML, javascript: and data: URLs — is removed.
"""

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


def plain_text(html: str) -> str:
    """The words of rich text, for snippets and descriptions: tags become spaces
    (so paragraphs do not run together), entities are decoded, spaces collapsed."""
    import html as html_module
    import re

    text = re.sub(r"<[^>]*>", " ", html or "")
    return " ".join(html_module.unescape(text).split())
