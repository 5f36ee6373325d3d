"""The issue email in a real Chromium: at 390 px (a phone) nothing overflows
sideways and the text stays readable; with a dark colour scheme the email says
it supports one and its text keeps its contrast."""

import pytest

from bulletin.models import Issue
from newsletter.dispatch.content import render_issue_email
from tests.reader_content import sample_site

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "be", "ru")

# Each visible text element's font size, colour, and the background it sits on
# (the nearest ancestor with an opaque background).
READ_TEXT = """() => {
  const parse = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const background = el => {
    for (; el; el = el.parentElement) {
      const c = parse(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const found = [];
  for (const el of document.querySelectorAll("body *")) {
    const text = [...el.childNodes].filter(n => n.nodeType === 3)
      .map(n => n.textContent.trim()).join("");
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (!text || box.width === 0 || box.height === 0 || style.display === "none"
        || style.visibility === "hidden" || Number(style.opacity) === 0) continue;
    found.push({tag: el.tagName.toLowerCase(), cls: el.className, text: text.slice(0, 40),
                size: parseFloat(style.fontSize), color: parse(style.color).slice(0, 3),
                background: background(el)});
  }
  return found;
}"""


def luminance(rgb):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture
def emails(db):
    """The issue email's HTML in each language, rendered before the browser starts."""
    sample_site()
    issue = Issue.objects.get(number=1)
    issue.title_be, issue.title_ru = "Асцярожны тыдзень", "Осторожная неделя"
    issue.summary_be = "Мінск шукае прастору для манеўру."
    issue.summary_ru = "Минск ищет пространство для манёвра."
    issue.save()
    return {code: render_issue_email(issue, code).html for code in LANGUAGES}


def open_email(browser, html, *, scheme):
    page = browser.new_page(viewport={"width": 390, "height": 844}, color_scheme=scheme)
    page.set_content(html)
    return page


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_email_reads_well_at_390_px_in_light_and_dark(emails, browser, scheme):
    for code, html in emails.items():
        page = open_email(browser, html, scheme=scheme)
        assert page.evaluate(
            "() => matchMedia('(prefers-color-scheme: dark)').matches") is (scheme == "dark")
        # No sideways scrolling on a phone.
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390, f"{code} {scheme}: the email is {width} px wide at 390 px"
        texts = page.evaluate(READ_TEXT)
        assert texts, code
        # Readable sizes: the reading text at 16 px, nothing under 12 px.
        small = [t for t in texts if t["size"] < 12]
        assert not small, f"{code}: text under 12 px: {small}"
        leads = [t for t in texts if "lead" in t["cls"] or "summary" in t["cls"]]
        assert leads and all(t["size"] >= 16 for t in leads), leads
        # Contrast (WCAG AA for text: 4.5:1) in this colour scheme.
        poor = [(t["text"], round(contrast(t["color"], t["background"]), 2))
                for t in texts if contrast(t["color"], t["background"]) < 4.5]
        assert not poor, f"{code} {scheme}: low contrast: {poor}"
        backgrounds = {tuple(t["background"]) for t in texts}
        if scheme == "dark":
            assert all(luminance(b) < 0.1 for b in backgrounds), backgrounds
        else:
            assert all(luminance(b) > 0.8 for b in backgrounds), backgrounds
        page.close()


def test_the_email_declares_its_colour_schemes(emails):
    for html in emails.values():
        assert '<meta name="color-scheme" content="light dark">' in html
        assert '<meta name="supported-color-schemes" content="light dark">' in html
        assert "@media (prefers-color-scheme: dark)" in html
