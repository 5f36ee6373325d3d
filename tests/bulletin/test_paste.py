"""Pasted office HTML and bad input through the sanitiser every save applies:
headings, lists, links, bold and italic survive; Word's mso-* styles, span and
font soup, classes, comments and conditional blocks go; nothing dangerous is
kept. The fragments are what Word, LibreOffice and Google Docs put on the
clipboard (trimmed)."""

import re

import pytest
from django.urls import reverse

from bulletin.models import Article
from bulletin.sanitize import allowed_tags, bad_links, sanitize_html
from tests.factories import ArticleFactory, analyst, editor

WORD = """<html xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">
<head><meta http-equiv=Content-Type content="text/html; charset=utf-8">
<meta name=Generator content="Microsoft Word 15 (filtered)">
<style><!-- /* Font Definitions */ @font-face {font-family:Calibri;}
p.MsoNormal, li.MsoNormal {mso-style-parent:""; margin:0cm; font-size:11.0pt;}
--></style><!--[if gte mso 9]><xml><o:OfficeDocumentSettings><o:AllowPNG/>
</o:OfficeDocumentSettings></xml><![endif]--></head>
<body lang=EN-GB style='tab-interval:36.0pt;word-wrap:break-word'>
<!--StartFragment-->
<h1 style='mso-margin-top-alt:auto;mso-outline-level:1'><span lang=EN-GB
style='font-size:24.0pt;mso-fareast-font-family:"Times New Roman"'>Potash transit
moves east<o:p></o:p></span></h1>
<p class=MsoNormal style='mso-margin-bottom-alt:auto;line-height:normal'><span
style='font-family:"Calibri",sans-serif;mso-bidi-font-weight:bold'>Exports through
Klaipėda fell by <b style='mso-bidi-font-weight:normal'>a third</b>, according to
<i style='mso-bidi-font-style:normal'>Belaruskali</i>. See <a
href="https://example.org/potash-report"><span style='color:#0563C1;mso-themecolor:hyperlink'>the
report</span></a>.<o:p></o:p></span></p>
<ul style='margin-top:0cm' type=disc>
 <li class=MsoNormal style='mso-list:l0 level1 lfo1;tab-stops:list 36.0pt'><span
 style='mso-fareast-font-family:"Times New Roman"'><font face="Calibri">Lithuania closed
 transit</font><o:p></o:p></span></li>
 <li class=MsoNormal style='mso-list:l0 level1 lfo1'><span>Russian ports took over</span></li>
</ul>
<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l1 level1 lfo2'><![if
!supportLists]><span
style='font-family:Symbol'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;
</span></span><![endif]>Numbered
by hand</p>
<!--EndFragment--></body></html>"""

LIBREOFFICE = """<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.0 Transitional//EN"><html><head>
<meta http-equiv="content-type" content="text/html; charset=utf-8"/><title></title>
<meta name="generator" content="LibreOffice 7.5.9.2 (Linux)"/><style type="text/css">
p { line-height: 115%; margin-bottom: 0.25cm; background: transparent }
h2.western { font-family: "Liberation Sans", sans-serif; font-size: 16pt }
</style></head><body lang="en-GB" link="#000080" vlink="#800000" dir="ltr">
<h2 class="western">Gas formula postponed</h2>
<p style="line-height: 100%; margin-bottom: 0cm"><font face="Liberation Serif, serif"><font
size="3" style="font-size: 12pt">The price stays <b>unchanged</b> until
<i>July</i>.</font></font></p>
<ol><li><p style="margin-bottom: 0cm"><font face="Liberation Serif, serif">Tax
roadmap</font></p></li>
<li><p><span style="font-weight: bold">Procurement</span> access</p></li></ol>
</body></html>"""

GOOGLE_DOCS = """<meta charset="utf-8"><b style="font-weight:normal;"
id="docs-internal-guid-5a1e2f3b-7fff-1a2b-3c4d-5e6f7a8b9c0d"><h2 dir="ltr"
style="line-height:1.38;margin-top:18pt;margin-bottom:6pt;"><span
style="font-size:16pt;font-family:Arial,sans-serif;color:#000000;background-color:transparent;
font-weight:400;font-style:normal;font-variant:normal;text-decoration:none;
vertical-align:baseline;white-space:pre;white-space:pre-wrap;">Army
drills near Hrodna</span></h2><p dir="ltr" style="line-height:1.38;margin-top:0pt;
margin-bottom:0pt;"><span
style="font-size:11pt;font-family:Arial,sans-serif;font-weight:400;">Units stay </span><span
style="font-size:11pt;font-family:Arial,sans-serif;font-weight:700;">after</span><span
style="font-size:11pt;font-family:Arial,sans-serif;font-weight:400;"> the </span><span
style="font-size:11pt;font-family:Arial,sans-serif;font-weight:400;font-style:italic;
">joint</span><span
style="font-size:11pt;font-family:Arial,sans-serif;font-weight:400;"> exercise; </span><a
href="https://example.org/drills" style="text-decoration:none;"><span
style="font-size:11pt;color:#1155cc;text-decoration:underline;
">details</span></a><span>.</span></p><ul
style="margin-top:0;margin-bottom:0;padding-inline-start:48px;"><li dir="ltr"
style="list-style-type:disc;font-size:11pt;" aria-level="1"><p dir="ltr" role="presentation"
style="line-height:1.38;"><span style="font-size:11pt;">Brest region</span></p></li></ul></b><br
class="Apple-interchange-newline">"""

SOUP = ("mso-", "style=", "class=", "<span", "<font", "<o:p", "<!--", "supportLists",
        "lang=", "<b ", "<b>", "<i>", "docs-internal", "<meta", "<title", "Font Definitions",
        "MsoNormal", "dir=")


def assert_clean(html):
    for soup in SOUP:
        assert soup not in html, (soup, html)
    assert _tags(html) <= allowed_tags(), _tags(html)


def _tags(html):
    return {t.lower() for t in re.findall(r"<([a-zA-Z][\w:]*)", html)}


def test_word_paste():
    html = sanitize_html(WORD)
    assert_clean(html)
    assert "<h2>Potash transit\nmoves east</h2>" in html
    assert "<strong>a third</strong>" in html and "<em>Belaruskali</em>" in html
    assert ('<a href="https://example.org/potash-report" rel="noopener noreferrer">the\n'
            "report</a>") in html
    assert "<ul>" in html and "<li>Lithuania closed\n transit</li>" in html
    assert "Numbered\nby hand" in html


def squash(html):
    """Whitespace as a browser shows it (the fragments wrap their lines)."""
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html))


def test_libreoffice_paste():
    html = squash(sanitize_html(LIBREOFFICE))
    assert_clean(html)
    assert "<h2>Gas formula postponed</h2>" in html
    assert "The price stays <strong>unchanged</strong> until <em>July</em>." in html
    assert ("<ol><li><p>Tax roadmap</p></li><li><p><strong>Procurement</strong> access</p></li>"
            "</ol>") in html


def test_google_docs_paste():
    html = sanitize_html(GOOGLE_DOCS)
    assert_clean(html)
    # The wrapping <b style="font-weight:normal"> is not bold: nothing is.
    assert html.count("<strong>") == 1
    assert "<h2>Army\ndrills near Hrodna</h2>" in html
    assert ("<p>Units stay <strong>after</strong> the <em>joint</em> exercise; "
            '<a href="https://example.org/drills" rel="noopener noreferrer">details</a>.</p>'
            ) in html
    assert "<ul><li><p>Brest region</p></li></ul>" in html


def test_everything_the_editor_makes_survives_a_save():
    """Nothing an analyst writes with the toolbar is dropped on save."""
    body = (
        "<h2>Heading</h2><h3>Subheading</h3><p>Text with <strong>bold</strong>, <em>italic</em>,"
        ' H<sub>2</sub>O, m<sup>2</sup> and <a href="https://example.org/x" '
        'rel="noopener noreferrer">a link</a>.<br>Second line.</p>'
        "<ul><li><p>one</p></li></ul><ol><li><p>first</p></li></ol>"
        "<blockquote><p>A quote.</p></blockquote><hr>"
        "<table><tbody><tr><th><p>Route</p></th><th><p>Cost</p></th></tr>"
        '<tr><td colspan="2"><p>Klaipėda</p></td></tr></tbody></table>'
        '<figure><img src="/media/images/a.png" alt="Chart" data-file="7">'
        "<figcaption>Exports</figcaption></figure>"
    )
    assert sanitize_html(body) == body


@pytest.mark.parametrize("href", ["javascript:alert(1)", " JaVaScRiPt:alert(1)",
                                  "data:text/html,<script>alert(1)</script>", "vbscript:x",
                                  "htp:/broken", "www.example.org", "file:///C:/report.docx"])
def test_links_that_are_not_web_addresses_are_found(href):
    assert bad_links(f'<p><a href="{href}">x</a></p>') == [href.strip()]
    assert "href" not in sanitize_html(f'<p><a href="{href}">x</a></p>').replace(
        "https://", "")


@pytest.mark.django_db
def test_a_dangerous_paste_saves_clean_and_the_admin_says_which_links_went(client):
    article = ArticleFactory()
    client.force_login(analyst())
    data = {
        "issue": article.issue.pk, "topic": article.topic.pk, "slug": article.slug,
        "trend": "unchanged", "bylines-TOTAL_FORMS": "0", "bylines-INITIAL_FORMS": "0",
        "position": 0,
        "title_en": article.title_en, "lead_en": "<p>Lead.</p>", "title_be": "", "lead_be": "",
        "body_be": "", "title_ru": "", "lead_ru": "", "body_ru": "",
        "body_en": ('<p onclick="alert(1)">Read <a href="javascript:alert(1)">this</a> and '
                    '<a href="htp:/typo">that</a>.</p><script>alert(2)</script>'
                    '<img src="x" onerror="alert(3)">' + WORD),
        "_continue": "1",
    }
    response = client.post(reverse("admin:bulletin_article_change", args=[article.pk]), data,
                           follow=True)
    assert response.status_code == 200
    stored = Article.objects.get(pk=article.pk).body_en
    for bad in ("onclick", "javascript:", "<script", "onerror", "mso-", "htp:"):
        assert bad not in stored
    assert "<p>Read this and that.</p>" in stored and "<strong>a third</strong>" in stored
    text = response.content.decode()
    assert "were removed, their text kept" in text
    assert "“javascript:alert(1)”" in text and "“htp:/typo”" in text


@pytest.mark.django_db
def test_an_editor_uses_the_same_editor_and_an_analyst_cannot_touch_approved_work(client):
    from bulletin import services

    article = ArticleFactory()
    boss = editor()
    client.force_login(boss)
    page = client.get(reverse("admin:bulletin_article_change", args=[article.pk])).content.decode()
    assert 'data-django-prose-editor-configurable' in page and "image/picker/?lang=be" in page
    services.article_submit(article=article, user=boss)
    services.article_approve(article=article, user=boss)
    client.force_login(analyst())
    url = reverse("admin:bulletin_article_change", args=[article.pk])
    response = client.post(url, {"body_en": "<p>Changed by an analyst.</p>"})
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).body_en == article.body_en
