import pytest

from bulletin.sanitize import sanitize_html
from tests.factories import ArticleFactory

PAYLOADS = [
    '<script>alert(1)</script>',
    '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
    '<img src=x onerror=alert(1)>',
    '<body onload=alert(1)>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<svg onload=alert(1)><script>alert(2)</script></svg>',
    '<svg><animate onbegin=alert(1) attributeName=x dur=1s>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<iframe src="data:text/html,<script>alert(1)</script>"></iframe>',
    '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div onmouseover="alert(1)">hover</div>',
    '<object data="javascript:alert(1)"></object>',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<<script>script>alert(1)<</script>/script>',
    '<p>ok</p><!--<script>alert(1)</script>-->',
]
FORBIDDEN = ["<script", "onerror", "onload", "onbegin", "onmouseover", "javascript:",
             "<svg", "<iframe", "<object", "<math", "style=", "data:"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_neutralised(payload):
    cleaned = sanitize_html(payload).lower()
    for bad in FORBIDDEN:
        assert bad not in cleaned, (payload, cleaned)


def test_good_markup_survives():
    html = ('<p>Text with <strong>bold</strong>, <em>it</em> and '
            '<a href="https://example.org/x">a link</a>.</p><blockquote>q</blockquote>')
    cleaned = sanitize_html(html)
    assert "<strong>bold</strong>" in cleaned
    assert 'href="https://example.org/x"' in cleaned
    assert 'rel="noopener noreferrer"' in cleaned
    assert "<blockquote>q</blockquote>" in cleaned


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS[:6])
def test_every_save_sanitises_every_language(payload):
    article = ArticleFactory(body_en=payload, body_be=payload, body_ru=payload)
    article.refresh_from_db()
    for code in ("en", "be", "ru"):
        stored = getattr(article, f"body_{code}").lower()
        assert "<script" not in stored and "javascript:" not in stored and "onerror" not in stored
    article.body_en = "<p>fine</p><script>x</script>"
    article.save(update_fields=["body_en"])
    article.refresh_from_db()
    assert article.body_en == "<p>fine</p>"
