"""Bad input everywhere public, through a live server (real HTTP, requests):
every form, token link and URL parameter a stranger can reach, and the CSV
import an editor can feed. Hypothesis draws the input (derandomised, so a run
is reproducible). Each request must get the right 4xx or a normal page, never
a 5xx, and where a request must change nothing the database is compared
before and after.

The unit-level versions (test client, no server) are in
tests/newsletter/test_bad_input_properties.py and
tests/bulletin/test_reader_bad_input.py; these go through the whole stack:
the WSGI server, middleware, URL resolver, cache and the real encodings.
"""

import datetime
import re
from unittest import mock
from urllib.parse import quote_from_bytes

import pytest
from django.core import signing
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsletter import tokens
from newsletter.models import Subscriber
from tests.factories import SubscriberFactory, editor
from tests.reliability.live import Probe, admin_session, segment, snapshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(300)]


def examples(n):
    return settings(
        max_examples=n, deadline=None, derandomize=True, database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                               HealthCheck.data_too_large],
    )


# --- what a stranger types ---------------------------------------------------------

# Text a browser can send (no lone surrogates: they cannot be encoded).
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
HOSTILE = st.sampled_from([
    "", " ", "\x00", "\x00\x01\x02\x1b[31m", "\r\n\r\nSet-Cookie: x=1", "\t\v\f",
    "' OR 1=1 --", "'; DROP TABLE newsletter_subscriber; --", '" OR ""="', "1; SELECT pg_sleep(5)",
    "%", "%%", "%00", "%s%s%s%n", "\\", "\\x00", "../../../../etc/passwd", "..%2f..%2f",
    "<script>alert(1)</script>", '"><svg onload=alert(1)>', "<img src=x onerror=alert(1)>",
    "javascript:alert(1)", "{{ 7*7 }}", "{% debug %}", "${7*7}",
    "ＡＢＣ＜script＞", "\u202eevil\u202c", "\ufeff", "\u200b\u200d", "𝕏𝕐ℤ", "Zalgơ̸̢͖̗͍",
    "Мінск — Масква", "日本語テキスト", "🙂" * 30, "A" * 2001, "ы" * 2500, "<" * 3000,
    "-1", "0", "999999999999999999999999999999", "1e308", "NaN", "None", "null", "[]", "{}",
])
ANY_TEXT = st.one_of(HOSTILE, TEXT)
# Raw bytes in a query string: invalid UTF-8 included.
RAW_QUERY_VALUE = st.binary(max_size=40).map(quote_from_bytes)
LANGUAGES = ("en", "be", "ru")
LANGUAGE_FIELD = st.one_of(st.sampled_from(["en", "be", "ru", "EN", "de", "en-us", "", "xx"]),
                           ANY_TEXT)
EMAIL = st.one_of(
    st.emails().map(lambda e: e[:300]),
    st.sampled_from([
        "reader@example.org", " READER@Example.ORG ", "a@b", "@example.org", "reader@",
        "reader@@example.org", "reader@example..org", "reader@exa mple.org", "a" * 250 + "@x.org",
        "reader@example.org\r\nBcc: victim@example.org", "reader+tag@пример.бел",
        "\"quoted\"@example.org", "reader@[127.0.0.1]", "reader@example.org,other@example.org",
    ]),
    ANY_TEXT,
)
ORIGIN = st.sampled_from([None, None, None, "SAME", "https://evil.example", "null"])


def _site_unchanged(before, after, *, except_subscribers=False):
    if except_subscribers:
        before, after = dict(before), dict(after)
        before.pop("subscribers")
        after.pop("subscribers")
    assert after == before


@pytest.fixture
def probe(live_server, figures):
    probe = Probe(live_server.url)
    yield probe
    probe.close()
    figures.update(probe.figures())


@pytest.fixture
def open_limits(settings):
    """The rate limits would answer 429 after ten requests; raised, so that the
    input, not the limit, decides the answer (429 still counts as correct)."""
    settings.NEWSLETTER_SUBSCRIBE_RATE_PER_IP = "100000/h"
    settings.NEWSLETTER_SUBSCRIBE_RATE_PER_ADDRESS = "100000/h"


# --- the subscribe box ---------------------------------------------------------------


def test_subscribe_form_bad_input(site, probe, open_limits, figures, live_server):
    """The subscribe box POSTed with drawn values for every field (email, language,
    honeypot, consent version, source page), fields left out, foreign Origins and raw
    garbage bodies; a refused request leaves the database as it was, an accepted one stores
    only a valid address in a newsletter language."""
    seen = {"accepted": 0, "refused": 0}

    @examples(120)
    @given(
        page_language=st.sampled_from(LANGUAGES),
        fields=st.fixed_dictionaries({
            "email": EMAIL, "language": LANGUAGE_FIELD,
            "website": st.one_of(st.just(""), st.just(""), ANY_TEXT),
            "consent_version": st.one_of(st.just("2026-11"), ANY_TEXT),
            "source": st.one_of(st.just("/en/"), ANY_TEXT),
        }),
        dropped=st.sets(st.sampled_from(["email", "language", "website", "consent_version",
                                         "source"])),
        origin=ORIGIN,
        raw_body=st.one_of(st.none(), st.none(), st.none(), st.binary(max_size=300)),
        content_type=st.sampled_from([
            "application/x-www-form-urlencoded", "multipart/form-data",
            "multipart/form-data; boundary=", "multipart/form-data; boundary=xyz",
            "text/plain", "application/json",
        ]),
    )
    def run(page_language, fields, dropped, origin, raw_body, content_type):
        before = snapshot()
        headers = {"User-Agent": "hypothesis"}
        if origin:
            headers["Origin"] = live_server.url if origin == "SAME" else origin
        path = f"/{page_language}/newsletter/subscribe/"
        if raw_body is not None:
            headers["Content-Type"] = content_type
            response = probe.post(path, data=raw_body, headers=headers,
                                  expect={200, 400, 403, 429})
        else:
            data = {k: v for k, v in fields.items() if k not in dropped}
            response = probe.post(path, data=data, headers=headers,
                                  expect={200, 400, 403, 429})
        after = snapshot()
        if origin and origin != "SAME":
            assert response.status_code == 403
        honeypot = raw_body is None and "website" not in dropped and fields["website"]
        if response.status_code != 200 or honeypot:
            _site_unchanged(before, after)
            seen["refused"] += 1
        else:
            _site_unchanged(before, after, except_subscribers=True)
            seen["accepted"] += 1
        for _pk, email, status, language in after["subscribers"]:
            assert "@" in email and language in LANGUAGES and status == "pending"

    run()
    figures.update(seen)
    # Whatever was stored came from a valid request.
    for subscriber in Subscriber.objects.all():
        assert subscriber.consent_text and subscriber.consent_version == "2026-11"


# --- confirm, unsubscribe, one-click, preferences links --------------------------------

LINKS = {
    # name: (path template, purpose whose token the link takes)
    "confirm": ("/{lang}/newsletter/confirm/{token}/", tokens.CONFIRM),
    "unsubscribe": ("/{lang}/newsletter/unsubscribe/{token}/", tokens.UNSUBSCRIBE),
    "preferences": ("/{lang}/newsletter/preferences/{token}/", tokens.PREFERENCES),
    "data": ("/{lang}/newsletter/preferences/{token}/data.json", tokens.PREFERENCES),
    "one_click": ("/newsletter/one-click/{token}/", tokens.UNSUBSCRIBE),
}
PURPOSES = (tokens.CONFIRM, tokens.UNSUBSCRIBE, tokens.PREFERENCES)
TOKEN_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ:-_="


def expired_token(subscriber_id):
    old = (datetime.datetime.now() - datetime.timedelta(days=30)).timestamp()
    with mock.patch("django.core.signing.time.time", return_value=old):
        return tokens.make_token(subscriber_id, tokens.CONFIRM)


@pytest.fixture
def people(site):
    """Subscribers in every state, and one erased (whose tokens still verify)."""
    people = {
        status: SubscriberFactory(email=f"{status}@example.org", status=status)
        for status in ("pending", "confirmed", "unsubscribed", "bounced")
    }
    gone = SubscriberFactory(email="erased@example.org")
    gone_id = gone.pk
    gone.delete()
    return people, gone_id


@st.composite
def bad_token(draw, purpose, ids, gone_id):
    """A token that must not work for `purpose`: made up, cut short, altered,
    meant for another purpose, expired, or naming a subscriber who is gone."""
    kind = draw(st.sampled_from(["random", "random", "truncated", "tampered", "other_purpose",
                                 "extended", "expired", "erased", "forged_payload"]))
    subscriber_id = draw(st.sampled_from(ids))
    real = tokens.make_token(subscriber_id, purpose)
    if kind == "random":
        return kind, draw(st.one_of(st.text(TOKEN_ALPHABET, max_size=80), ANY_TEXT))
    if kind == "truncated":
        return kind, real[: draw(st.integers(0, len(real) - 1))]
    if kind == "tampered":
        i = draw(st.integers(0, len(real) - 1))
        c = draw(st.sampled_from(TOKEN_ALPHABET).filter(lambda c: c != real[i]))
        return kind, real[:i] + c + real[i + 1:]
    if kind == "other_purpose":
        other = draw(st.sampled_from([p for p in PURPOSES if p != purpose]))
        return kind, tokens.make_token(subscriber_id, other)
    if kind == "extended":
        return kind, real + draw(st.sampled_from([":1", "x", ":" + real, "%00", "/"]))
    if kind == "expired":  # a confirm token a month old (for other links: the wrong purpose)
        return kind, expired_token(subscriber_id)
    if kind == "erased":
        return kind, tokens.make_token(gone_id, purpose)
    # A payload signed with another key (someone guessing SECRET_KEY) or unsigned.
    value = signing.b62_encode(subscriber_id)
    forged = signing.TimestampSigner(key="not-the-secret", salt=f"newsletter.{purpose}")
    return kind, draw(st.sampled_from([forged.sign(value), value, f"{value}:{value}"]))


EXPECTED_FOR_BAD_LINK = {
    "erased": {302, 404, 405},
    "expired": {302, 400, 405, 410},
}


def test_token_links_bad_tokens(people, probe, figures):
    """Confirm, unsubscribe, one-click, preferences and data links with made-up, truncated,
    altered, other-purpose, expired, erased-subscriber and wrongly signed tokens, by GET,
    HEAD, POST, PUT and DELETE: 400/404/410 (or 405, or the one-click GET's redirect), and
    no subscriber changes."""
    subscribers, gone_id = people
    ids = [s.pk for s in subscribers.values()]
    kinds = {}

    @examples(200)
    @given(
        link=st.sampled_from(sorted(LINKS)),
        lang=st.sampled_from(LANGUAGES),
        method=st.sampled_from(["GET", "GET", "POST", "POST", "HEAD", "PUT", "DELETE"]),
        data=st.data(),
        body=st.fixed_dictionaries({}, optional={
            "action": st.sampled_from(["unsubscribe", "language", "confirm", ""]),
            "language": LANGUAGE_FIELD, "subscriber": st.sampled_from([str(i) for i in ids]),
            "email": st.sampled_from([s.email for s in subscribers.values()]),
        }),
    )
    def run(link, lang, method, data, body):
        template, purpose = LINKS[link]
        kind, token = data.draw(bad_token(purpose, ids, gone_id))
        kinds[kind] = kinds.get(kind, 0) + 1
        before = snapshot()
        path = template.format(lang=lang, token=segment(token))
        expected = EXPECTED_FOR_BAD_LINK.get(kind, {302, 400, 404, 405})
        if link == "data" and method not in ("GET", "HEAD"):
            expected = {403, 404, 405}  # not CSRF-exempt: refused before the method check
        response = probe.request(method, path, data=body or None, expect=expected)
        if response.status_code == 302:
            assert link == "one_click" and method in ("GET", "HEAD")
        assert snapshot() == before

    run()
    figures["token_kinds"] = dict(sorted(kinds.items()))


def test_preferences_form_bad_input(people, probe, figures):
    """The preferences form (a valid token) POSTed with drawn actions, languages and forged
    fields naming other subscribers (id, email): only that token's subscriber changes, and
    only by a valid action."""
    subscribers, _gone = people
    me = subscribers["confirmed"]
    others = [s for s in subscribers.values() if s.pk != me.pk]
    token = tokens.make_token(me.pk, tokens.PREFERENCES)

    @examples(80)
    @given(
        lang=st.sampled_from(LANGUAGES),
        body=st.fixed_dictionaries({
            "action": st.one_of(st.sampled_from(["language", "language", "unsubscribe"]),
                                ANY_TEXT),
            "language": st.one_of(st.sampled_from(LANGUAGES), LANGUAGE_FIELD),
        }, optional={
            "subscriber": st.sampled_from([str(s.pk) for s in others] + ["0", "-1", "x"]),
            "subscriber_id": st.sampled_from([str(s.pk) for s in others]),
            "id": st.sampled_from([str(s.pk) for s in others]),
            "email": st.sampled_from([s.email for s in others]),
            "token": st.sampled_from([tokens.make_token(s.pk, tokens.PREFERENCES)
                                      for s in others]),
        }),
    )
    def run(lang, body):
        before = {s.pk: s for s in Subscriber.objects.all()}
        response = probe.post(f"/{lang}/newsletter/preferences/{token}/", data=body,
                              expect={200, 303, 400})
        after = {s.pk: s for s in Subscriber.objects.all()}
        for other in others:
            a, b = before[other.pk], after[other.pk]
            assert (a.email, a.status, a.language, a.updated_at) == (
                b.email, b.status, b.language, b.updated_at)
        mine_before, mine_after = before[me.pk], after[me.pk]
        assert mine_after.email == mine_before.email
        if body["action"] == "unsubscribe":
            assert response.status_code == 200 and mine_after.status == "unsubscribed"
        elif body["action"] == "language" and body.get("language") in LANGUAGES:
            assert response.status_code == 303
            assert mine_after.language == body["language"]
        else:
            assert response.status_code == 400
            assert (mine_after.status, mine_after.language) == (
                mine_before.status, mine_before.language)

    run()


# --- the reader site ----------------------------------------------------------------

UNPUBLISHED_TEXT = ("An unpublished draft", "Secret budget figures", "Неопубликованный")
TAG_LIKE = re.compile(r"<[a-zA-Z!/?]")
PAGE_VALUE = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(["", "0", "-1", "1", "2", "99", "1.5", "1e3", "0x10", "+1", " 1", "١",
                     "99999999999999999999", "last", "%00", "1;DROP TABLE x"]),
    TEXT, RAW_QUERY_VALUE,
)


def _never_shows_unpublished(response):
    if response.status_code == 200:
        for text in UNPUBLISHED_TEXT:
            assert text not in response.text


def test_search_and_pagination_bad_input(site, probe, figures):
    """Search (q: unicode, control characters, SQL, HTML, 2,000+ characters, raw bytes) and
    ?page= on search, archive and topic pages (negative, huge, non-numeric): a page or a
    404; what was typed is never echoed as markup; no draft shows."""

    @examples(150)
    @given(
        lang=st.sampled_from(LANGUAGES),
        where=st.sampled_from(["search/", "search/", "issues/", "topics/security/",
                               "topics/economy/"]),
        q=st.one_of(ANY_TEXT, RAW_QUERY_VALUE.map(lambda raw: ("raw", raw)),
                    st.sampled_from(["Minsk", "Минск", "oil", "budget", "draft"])),
        page=st.one_of(st.none(), st.none(), PAGE_VALUE),
    )
    def run(lang, where, q, page):
        query = []
        if isinstance(q, tuple):
            query.append(f"q={q[1]}")
        elif where == "search/":
            query.append("q=" + quote_from_bytes(q.encode()))
        if page is not None:
            query.append("page=" + (page if "%" in page else quote_from_bytes(page.encode())))
        path = f"/{lang}/{where}" + ("?" + "&".join(query) if query else "")
        response = probe.get(path, expect={200, 404})
        _never_shows_unpublished(response)
        if isinstance(q, str) and where == "search/":
            typed = " ".join(re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", " ", q).split())
            if TAG_LIKE.search(typed):
                assert typed not in response.text

    run()


# Language prefixes, issue numbers, slugs, feeds, sitemap, robots.
VALID_PREFIX = st.sampled_from(LANGUAGES)
PREFIX = st.one_of(
    VALID_PREFIX, VALID_PREFIX, VALID_PREFIX,  # mostly the real site, to reach its views
    st.sampled_from(["en", "be", "ru", "EN", "Ru", "en-us", "en-US", "en_GB", "be-BY", "xx",
                     "zz-zz", "", "..", ".", "%2e%2e", "admin", "static", "newsletter",
                     "en/en", "ru%00"]),
    st.text("abcdefghijklmnopqrstuvwxyz-_", min_size=1, max_size=8),
    TEXT.filter(lambda t: t).map(segment),
)
NUMBER = st.one_of(
    st.integers(-(10**40), 10**40).map(str), st.sampled_from(["1", "2", "3", "0", "01", "1.0"]),
    TEXT.map(segment),
)
SLUG = st.one_of(
    st.sampled_from(["azerbaijan", "oil", "troops", "draft", "security", "economy",
                     "no-such", "AZERBAIJAN", "x" * 500]),
    st.text("abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=130),
    TEXT.filter(lambda t: t).map(segment),  # unicode slugs, percent-encoded
)


@st.composite
def reader_path(draw):
    shape = draw(st.sampled_from([
        "home", "archive", "issue", "article", "topics", "topic", "feed", "topic_feed",
        "sitemap", "robots", "root", "unprefixed",
    ]))
    prefix = draw(PREFIX)
    if shape == "sitemap":
        return "/sitemap.xml" + draw(st.sampled_from(["", "?p=", "?p=2", "?p=-1", "?p=x",
                                                      "?p=99999999999999", "?p=%FF"]))
    if shape == "robots":
        return "/robots.txt" + draw(st.sampled_from(["", "?x=1", "/", "?%00"]))
    if shape == "root":
        return "/?" + draw(RAW_QUERY_VALUE)
    if shape == "unprefixed":
        return "/issues/" + draw(NUMBER) + "/"
    rest = {
        "home": "",
        "archive": "issues/",
        "issue": f"issues/{draw(NUMBER)}/",
        "article": f"issues/{draw(NUMBER)}/{draw(SLUG)}/",
        "topics": "topics/",
        "topic": f"topics/{draw(SLUG)}/",
        "feed": draw(st.sampled_from(["feeds/rss/", "feeds/atom/", "feeds/", "feeds/rdf/"])),
        "topic_feed": f"topics/{draw(SLUG)}/feeds/{draw(st.sampled_from(['rss', 'atom', 'x']))}/",
    }[shape]
    extra = draw(st.sampled_from(["", "", "", "?untranslated=draft", "?untranslated=%FF",
                                  "?utm=<script>", "?page=2"]))
    return f"/{prefix}/{rest}{extra}"


def test_reader_urls_bad_input(site, probe, figures):
    """Reader URLs with drawn language prefixes (/xx/, /EN/, /en-us/ ...), issue numbers
    (huge, negative, text), slugs (unicode, 500 characters), feeds, sitemap pages and
    robots.txt, by GET and HEAD: a page, a redirect or a 404; the draft issue and article
    never show; the database is untouched."""
    before = snapshot()

    @examples(220)
    @given(path=reader_path(), method=st.sampled_from(["GET", "GET", "GET", "HEAD"]))
    def run(path, method):
        response = probe.request(method, path, expect={200, 301, 302, 304, 404})
        _never_shows_unpublished(response)

    run()
    assert snapshot() == before


# --- the admin's CSV import, as an editor ------------------------------------------

HEADER_NAMES = st.sampled_from(["email", "EMAIL", "e-mail", "Email Address", "mail", "language",
                                "lang", "Language Code", "name", "", "email ", "\ufeffemail",
                                "emails", "язык"])
DELIMITER = st.sampled_from([",", ";", "\t", "|"])
ENCODING = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1251", "latin-1", "koi8-r"])
CELL = st.one_of(EMAIL, LANGUAGE_FIELD, st.sampled_from(['"', '""', '"a,b"', "\n", "\r"]))


@st.composite
def csv_file(draw):
    if draw(st.integers(0, 4)) == 0:
        return draw(st.binary(max_size=600))
    delimiter = draw(DELIMITER)
    header = draw(st.lists(HEADER_NAMES, min_size=0, max_size=3))
    if draw(st.integers(0, 3)):  # mostly a file that names its email column
        header.insert(draw(st.integers(0, len(header))), "email")
    rows = draw(st.lists(st.lists(CELL, min_size=0, max_size=5), max_size=12))
    text = "\n".join(delimiter.join(line) for line in [header, *rows])
    encoding = draw(ENCODING)
    return text.encode(encoding, errors="replace")


def test_admin_csv_import_bad_input(site, live_server, figures):
    """The admin's subscriber CSV import, as an editor logged in over HTTP: random bytes,
    UTF-16/cp1251/latin-1/KOI8-R text, drawn column sets, delimiters and cells, drawn
    default languages and consent fields: the import page (200) or the form with its errors
    (400); a refused upload stores nothing, an accepted one stores only valid rows."""
    editor("importer")
    session = admin_session(live_server.url, "importer")
    probe = Probe(live_server.url, session)
    url = "/admin/newsletter/subscriber/import/"
    probe.get(url, expect={200})
    outcome = {"imported": 0, "refused": 0}

    @examples(80)
    @given(
        data=csv_file(),
        filename=st.one_of(st.sampled_from(["list.csv", "list.xlsx", "", "../../x.csv"]),
                           TEXT.filter(lambda t: t and "\x00" not in t)),
        default_language=st.one_of(*[st.sampled_from(["", "en", "be", "ru"])] * 3,
                                   LANGUAGE_FIELD),
        consented=st.sampled_from([False, False, True]),
        statement=st.one_of(st.just(""), st.just("Signed up on paper at the 2026 conference."),
                            ANY_TEXT),
    )
    def run(data, filename, default_language, consented, statement):
        before = snapshot()
        fields = {
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "default_language": default_language,
            "consent_statement": statement,
        }
        if consented:
            fields["already_consented"] = "on"
        files = {"file": (filename or "upload.csv", data, "text/csv")}
        response = probe.post(url, data=fields, files=files, headers={"Referer": live_server.url},
                              expect={200, 400})
        after = snapshot()
        if response.status_code == 400:
            assert after == before
            outcome["refused"] += 1
        else:
            outcome["imported"] += 1
            _site_unchanged(before, after, except_subscribers=True)
            for _pk, email, status, language in after["subscribers"]:
                assert "@" in email and language in LANGUAGES
                assert status == ("confirmed" if consented and statement.strip() else "pending") \
                    or (_pk, email, status, language) in before["subscribers"]

    run()
    probe.close()
    figures.update(probe.figures(), **outcome)
