"""Searching published articles in one language.

PostgreSQL: full-text search with the language's text-search configuration
over the title (weight A), lead (B) and body (C) in that language, ranked, with
a highlighted snippet (SearchHeadline); the vectors are stored (migration
0004). SQLite, the embedded default: every word must occur
(case-insensitively, for ASCII) in the title, lead or body, newest first,
with a snippet cut around the first match.

Snippets are plain text from the (sanitised) HTML: tags are stripped, the text
escaped, and only our own <mark> elements are put back.
"""

import html
import re
from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection
from django.db.models import F, Func, Q, TextField, Value
from django.db.models.expressions import Expression
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from bulletin.models import language_codes
from bulletin.sanitize import plain_text
from bulletin.translated import ARTICLE_FIELDS

MAX_QUERY_LENGTH = 200
MAX_WORDS = 12

# PostgreSQL text-search configurations; PostgreSQL has no Belarusian one.
CONFIGS = {"en": "english", "ru": "russian", "be": "simple"}

# Highlight delimiters that cannot occur in text (Unicode private use area):
# the snippet is escaped first, then they become <mark> and </mark>.
START, STOP = "\ue000", "\ue001"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class Query:
    text: str  # what to search for ("" when there is nothing to search)
    shown: str  # what the search box shows
    error: str = ""


def clean_query(raw: str | None) -> Query:
    """Normalise what the reader typed. NUL and control characters are dropped
    (PostgreSQL refuses NUL in a string), whitespace collapsed; empty and
    over-long searches get a message instead of results."""
    text = " ".join(_CONTROL.sub(" ", raw or "").split())
    if not text:
        return Query(text="", shown="", error="" if raw is None else gettext(
            "Type a word or a phrase to search for."))
    if len(text) > MAX_QUERY_LENGTH:
        return Query(
            text="",
            shown=text[:MAX_QUERY_LENGTH],
            error=gettext("That search is too long: use at most %(max)d characters.")
            % {"max": MAX_QUERY_LENGTH},
        )
    return Query(text=text, shown=text)


def highlighted(text: str, *, from_html: bool = False) -> SafeString:
    """Escape a snippet carrying START/STOP delimiters; mark what they enclose.
    `from_html`: the text was cut from HTML, so its entities are decoded first."""
    escaped = escape(html.unescape(text) if from_html else text)
    return mark_safe(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308


def _strip_tags_sql(expression):
    return Func(expression, Value("<[^>]*>"), Value(" "), Value("g"), function="regexp_replace",
                output_field=TextField())


def search(articles, text: str, language: str):
    """`articles` (published, in `language`) matching `text`, best first, each
    with `.snippet` and `.title_highlighted` (safe HTML). A queryset."""
    # A result shows its title and a snippet in this language: the other
    # languages' long texts are not read. (Not "lead" or "body" themselves:
    # django-modeltranslation takes those to mean this language's.)
    articles = articles.defer(
        *(f"{field}_{code}" for code in language_codes() if code != language
          for field in ("lead", "body"))
    )
    if connection.vendor == "postgresql":
        return _postgres(articles, text, language)
    return _substring(articles, text, language)


class StoredVector(Expression):
    """An article's weighted vector in one language (title A, lead B, body C,
    tags stripped), which PostgreSQL keeps in the generated column
    `search_<code>` with a GIN index (migration 0004): matching reads the
    index, ranking reads the column instead of parsing the text again."""

    output_field = SearchVectorField()

    def __init__(self, language: str):
        if language not in CONFIGS:
            raise ValueError(f"no search vector for language {language!r}")
        super().__init__()
        self.language = language

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.{connection.ops.quote_name('search_' + self.language)}", []


def _postgres(articles, text, language):
    # Matching and ranking only: the snippets, which are costly, are made for
    # the page of results alone (add_headlines), not for every match.
    vector = StoredVector(language)
    query = SearchQuery(text, search_type="websearch", config=CONFIGS.get(language, "simple"))
    return (
        articles.annotate(search_vector=vector)
        .filter(search_vector=query)
        .annotate(rank=SearchRank(vector, query))
        .order_by("-rank", "-issue__start_date", "pk")
    )


def add_headlines(found: list, text: str, language: str) -> None:
    """Highlighted title and snippet for a page of PostgreSQL results: one query."""
    if connection.vendor != "postgresql" or not found:
        return
    from bulletin.models import Article

    config = CONFIGS.get(language, "simple")
    title, lead, body = (f"{name}_{language}" for name in ARTICLE_FIELDS)
    query = SearchQuery(text, search_type="websearch", config=config)
    headline = {"config": config, "start_sel": START, "stop_sel": STOP}
    rows = Article.objects.filter(pk__in=[a.pk for a in found]).values_list(
        "pk",
        SearchHeadline(
            _strip_tags_sql(Concat(F(lead), Value(" "), F(body), output_field=TextField())),
            query,
            max_words=40,
            min_words=20,
            max_fragments=2,
            fragment_delimiter=" … ",
            **headline,
        ),
        SearchHeadline(F(title), query, highlight_all=True, **headline),
    )
    by_pk = {pk: (snippet, title_html) for pk, snippet, title_html in rows}
    for article in found:
        article.raw_snippet, article.raw_title = by_pk.get(article.pk, ("", ""))


def _substring(articles, text, language):
    words = text.split()[:MAX_WORDS]
    for word in words:
        articles = articles.filter(
            Q(**{f"title_{language}__icontains": word})
            | Q(**{f"lead_{language}__icontains": word})
            | Q(**{f"body_{language}__icontains": word})
        )
    return articles.order_by("-issue__start_date", "topic__position", "position", "pk")


def decorate(article, text: str, language: str):
    """Give a found article its highlighted title and snippet (no query)."""
    if hasattr(article, "raw_snippet"):
        article.snippet = highlighted(article.raw_snippet, from_html=True)
        article.title_highlighted = highlighted(article.raw_title)
        return article
    words = [w for w in text.split()[:MAX_WORDS] if w]
    title = article.localized("title", language)
    plain = " ".join(plain_text(article.localized(f, language)) for f in ("lead", "body"))
    article.snippet = highlighted(_mark(_window(plain, words), words))
    article.title_highlighted = highlighted(_mark(title, words))
    return article


def _window(text: str, words: list[str], width: int = 240) -> str:
    lowered = text.casefold()
    positions = [p for p in (lowered.find(w.casefold()) for w in words) if p >= 0]
    start = max(min(positions, default=0) - width // 3, 0)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    snippet = text[start:start + width]
    return ("… " if start else "") + snippet + (" …" if start + width < len(text) else "")


def _mark(text: str, words: list[str]) -> str:
    if not words:
        return text
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    return pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", text)
