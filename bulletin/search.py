"""Searching published articles in one language, case-insensitively, with ё
and е alike, best match first.

What the reader typed is parsed into at most MAX_WORDS terms: words, "quoted
phrases", -excluded words and OR. Only word characters reach the database, so
no input can make a query fail (operators, quotes and markup are never passed
on; repeated markup cannot nest a tsquery past PostgreSQL's stack). Each word
also matches longer words it begins (минск finds Минске).

PostgreSQL: full-text search with the language's text-search configuration
over the title (weight A), lead (B) and body (C) in that language, with ё read
as е; the vectors are stored in generated columns with a GIN index
(migrations 0004 and 0005), ranked by ts_rank, with a highlighted snippet
(SearchHeadline) made for the page of results only.

SQLite, the embedded default: an FTS5 table per language (unicode61 tokenizer,
so any script is case-folded) holds each article's plain text with ё read as
е, kept in step with bulletin_article by triggers (`sqlite_index_ensure`, run
after every migrate), ranked by bm25 with the same weights.

Snippets are plain text from the (sanitised) HTML: tags are stripped, the text
escaped, and only our own <mark> elements are put back.
"""

import html
import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection
from django.db.models import F, FloatField, Func, TextField, Value
from django.db.models.expressions import Expression, RawSQL
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from bulletin.models import language_codes
from bulletin.sanitize import plain_text

MAX_QUERY_LENGTH = 200
MAX_WORDS = 12

# PostgreSQL text-search configurations; PostgreSQL has no Belarusian one.
CONFIGS = {"en": "english", "ru": "russian", "be": "simple"}

# Title, lead and body weigh as PostgreSQL's default A, B, C weights do.
SQLITE_WEIGHTS = (1.0, 0.4, 0.2)

# Highlight delimiters that cannot occur in text (Unicode private use area):
# the snippet is escaped first, then they become <mark> and </mark>.
START, STOP = "\ue000", "\ue001"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TERM = re.compile(r'(-?)(?:"([^"]*)"?|(\w+))')
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """ё as е (Russian and Belarusian write both for one letter)."""
    return text.replace("ё", "е").replace("Ё", "Е")


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or a phrase
    excluded: bool = False
    either: bool = False  # OR with the term before


@dataclass
class Query:
    text: str  # what to search for ("" when there is nothing to search)
    shown: str  # what the search box shows
    error: str = ""
    terms: list[Term] = field(default_factory=list)

    @property
    def wanted(self) -> list[str]:
        """The words a result is expected to contain (for highlighting)."""
        return [w for t in self.terms if not t.excluded for w in t.words]


def parse_terms(text: str) -> list[Term]:
    """Words, phrases, -exclusions and OR, at most MAX_WORDS words in all."""
    terms: list[Term] = []
    count = 0
    either = False
    for match in _TERM.finditer(text):
        minus, phrase, word = match.groups()
        words = tuple(_WORD.findall(phrase)) if phrase is not None else (word,)
        if not words:
            continue
        if words == ("OR",) and not minus and phrase is None:
            either = bool(terms)
            continue
        words = words[: MAX_WORDS - count]
        if not words:
            break
        count += len(words)
        terms.append(Term(words=tuple(fold(w) for w in words), excluded=bool(minus),
                          either=either and not minus))
        either = False
    return terms


def clean_query(raw: str | None) -> Query:
    """Normalise what the reader typed. NUL and control characters are dropped
    (PostgreSQL refuses NUL in a string), whitespace collapsed; empty,
    over-long and word-less searches get a message instead of results."""
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
    terms = parse_terms(text)
    if not any(not t.excluded for t in terms):
        return Query(text="", shown=text, error=gettext(
            "Search for at least one word: punctuation and excluded words alone find nothing."))
    return Query(text=text, shown=text, terms=terms)


def highlighted(text: str, *, from_html: bool = False) -> SafeString:
    """Escape a snippet carrying START/STOP delimiters; mark what they enclose.
    `from_html`: the text was cut from HTML, so its entities are decoded first."""
    escaped = escape(html.unescape(text) if from_html else text)
    return mark_safe(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308


def _strip_tags_sql(expression):
    return Func(expression, Value("<[^>]*>"), Value(" "), Value("g"), function="regexp_replace",
                output_field=TextField())


def articles_search(articles, query: Query, language: str):
    """`articles` (published, in `language`) matching `query`, best first, each
    with `.snippet` and `.title_highlighted` once decorated. A queryset."""
    if language not in CONFIGS:
        raise ValueError(f"no search for language {language!r}")
    # A result shows its title and a snippet in this language: the other
    # languages' long texts are not read. (Not "lead" or "body" themselves:
    # django-modeltranslation takes those to mean this language's.)
    articles = articles.defer(
        *(f"{name}_{code}" for code in language_codes() if code != language
          for name in ("lead", "body"))
    )
    if connection.vendor == "postgresql":
        return _postgres(articles, query, language)
    return _sqlite(articles, query, language)


# PostgreSQL


class StoredVector(Expression):
    """An article's weighted vector in one language (title A, lead B, body C,
    tags stripped, ё as е), which PostgreSQL keeps in the generated column
    `search_<code>` with a GIN index (migrations 0004, 0005): matching reads
    the index, ranking reads the column instead of parsing the text again."""

    output_field = SearchVectorField()

    def __init__(self, language: str):
        if language not in CONFIGS:
            raise ValueError(f"no search vector for language {language!r}")
        super().__init__()
        self.language = language

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.{connection.ops.quote_name('search_' + self.language)}", []


def tsquery_text(terms: list[Term]) -> str:
    """A to_tsquery expression of the terms: every word quoted as a prefix
    lexeme, phrases joined by <->; only word characters inside the quotes."""
    def lexeme(word):
        return f"'{word}':*"

    parts = []
    for term in terms:
        expression = " <-> ".join(lexeme(w) for w in term.words)
        if len(term.words) > 1:
            expression = f"({expression})"
        if term.excluded:
            expression = f"!{expression}"
        if parts:
            parts.append("|" if term.either else "&")
        parts.append(expression)
    return " ".join(parts)


def _ts_query(query: Query, language: str) -> SearchQuery:
    return SearchQuery(tsquery_text(query.terms), search_type="raw", config=CONFIGS[language])


def _postgres(articles, query, language):
    # Matching and ranking only: the snippets, which are costly, are made for
    # the page of results alone (add_headlines), not for every match.
    vector = StoredVector(language)
    ts_query = _ts_query(query, language)
    return (
        articles.annotate(search_vector=vector)
        .filter(search_vector=ts_query)
        .annotate(rank=SearchRank(vector, ts_query))
        .order_by("-rank", "-issue__start_date", "pk")
    )


def add_headlines(found: list, query: Query, language: str) -> None:
    """Highlighted title and snippet for a page of PostgreSQL results: one
    query. Only where a stemmer finds other forms of a word (and reads ё as е
    itself); with the 'simple' configuration, what decorate() marks in Python
    is the same match, and keeps the text's own ё."""
    if connection.vendor != "postgresql" or not found or CONFIGS[language] == "simple":
        return
    from bulletin.models import Article

    config = CONFIGS[language]
    title, lead, body = (f"{name}_{language}" for name in ("title", "lead", "body"))
    ts_query = _ts_query(query, language)
    headline = {"config": config, "start_sel": START, "stop_sel": STOP}
    rows = Article.objects.filter(pk__in=[a.pk for a in found]).values_list(
        "pk",
        SearchHeadline(
            _strip_tags_sql(Concat(F(lead), Value(" "), F(body), output_field=TextField())),
            ts_query,
            max_words=40,
            min_words=20,
            max_fragments=2,
            fragment_delimiter=" … ",
            **headline,
        ),
        SearchHeadline(F(title), ts_query, highlight_all=True, **headline),
    )
    by_pk = {pk: (snippet, title_html) for pk, snippet, title_html in rows}
    for article in found:
        article.raw_snippet, article.raw_title = by_pk.get(article.pk, ("", ""))


# SQLite


def sqlite_table(language: str) -> str:
    return f"bulletin_article_fts_{language}"


def fts_text(html_text: str | None) -> str:
    """What the FTS5 index holds for a title, lead or body: its words, ё as е."""
    return fold(plain_text(html_text or ""))


def sqlite_register(dbapi_connection) -> None:
    """Give an SQLite connection the function the index's triggers call."""
    dbapi_connection.create_function("bulletin_fts_text", 1, fts_text, deterministic=True)


def sqlite_index_ensure(using: str = "default") -> None:
    """Create each language's FTS5 table and the triggers that keep it in step
    with bulletin_article, if missing (a table rebuilt by a later migration
    loses its triggers), and fill a new table from the articles. Idempotent."""
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "sqlite":
        return
    conn.ensure_connection()
    sqlite_register(conn.connection)
    # Table and column names below come from CONFIGS and fixed field names,
    # never from input.
    with conn.cursor() as cursor:
        tables = {row[0] for row in cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "bulletin_article" not in tables:
            return
        for code in CONFIGS:
            table = sqlite_table(code)
            columns = [f"{name}_{code}" for name in ("title", "lead", "body")]
            values = ", ".join(f"bulletin_fts_text(new.{c})" for c in columns)
            if table not in tables:
                cursor.execute(
                    f"CREATE VIRTUAL TABLE {table} USING fts5(title, lead, body, "
                    f"tokenize = 'unicode61 remove_diacritics 0')"
                )
                cursor.execute(
                    f"INSERT INTO {table} (rowid, title, lead, body) SELECT id, "  # noqa: S608
                    + ", ".join(f"bulletin_fts_text({c})" for c in columns)
                    + " FROM bulletin_article"
                )
            cursor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {table}_insert AFTER INSERT ON bulletin_article "  # noqa: S608
                f"BEGIN INSERT INTO {table} (rowid, title, lead, body) "
                f"VALUES (new.id, {values}); END"
            )
            cursor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {table}_update "  # noqa: S608
                f"AFTER UPDATE OF {', '.join(columns)} ON bulletin_article "
                f"BEGIN DELETE FROM {table} WHERE rowid = old.id; "
                f"INSERT INTO {table} (rowid, title, lead, body) "
                f"VALUES (new.id, {values}); END"
            )
            cursor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {table}_delete AFTER DELETE ON bulletin_article "  # noqa: S608
                f"BEGIN DELETE FROM {table} WHERE rowid = old.id; END"
            )


def fts5_text(terms: list[Term]) -> str:
    """An FTS5 MATCH expression of the terms: every word a quoted prefix, a
    phrase a quoted string; exclusions after NOT."""
    def quoted(term):
        return '"' + " ".join(term.words) + '"' + ("*" if len(term.words) == 1 else "")

    wanted = []
    for term in (t for t in terms if not t.excluded):
        if wanted:
            wanted.append("OR" if term.either else "AND")
        wanted.append(quoted(term))
    expression = "(" + " ".join(wanted) + ")"
    for term in (t for t in terms if t.excluded):
        expression += " NOT " + quoted(term)
    return expression


def _sqlite(articles, query, language):
    table = sqlite_table(language)
    weights = ", ".join(str(w) for w in SQLITE_WEIGHTS)
    # bm25 is lower for a better match. The MATCH text is a parameter; the
    # names are ours.
    rank = RawSQL(  # noqa: S611
        f"SELECT bm25({table}, {weights}) FROM {table} "  # noqa: S608
        f"WHERE {table} MATCH %s AND {table}.rowid = bulletin_article.id",
        [fts5_text(query.terms)],
        output_field=FloatField(),
    )
    return (
        articles.annotate(rank=rank)
        .filter(rank__isnull=False)
        .order_by("rank", "-issue__start_date", "pk")
    )


# Snippets without PostgreSQL


def decorate(article, query: Query, language: str):
    """Give a found article its highlighted title and snippet (no query)."""
    if hasattr(article, "raw_snippet"):
        article.snippet = highlighted(article.raw_snippet, from_html=True)
        article.title_highlighted = highlighted(article.raw_title)
        return article
    words = query.wanted
    title = article.localized("title", language)
    plain = " ".join(plain_text(article.localized(f, language)) for f in ("lead", "body"))
    article.snippet = highlighted(_mark(_window(plain, words), words))
    article.title_highlighted = highlighted(_mark(title, words))
    return article


def _window(text: str, words: list[str], width: int = 240) -> str:
    lowered = fold(text.lower())  # same length as text: positions carry over
    positions = [p for p in (lowered.find(fold(w.lower())) for w in words) if p >= 0]
    start = max(min(positions, default=0) - width // 3, 0)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    snippet = text[start:start + width]
    return ("… " if start else "") + snippet + (" …" if start + width < len(text) else "")


def _mark(text: str, words: list[str]) -> str:
    """Mark each word (and the rest of a longer word it begins), any case, ё as е."""
    if not words:
        return text
    alternatives = sorted({re.escape(w) for w in words}, key=len, reverse=True)
    pattern = "|".join(alternatives).replace("е", "[её]").replace("Е", "[ЕЁ]")
    matcher = re.compile(rf"\b(?:{pattern})\w*", re.IGNORECASE)
    return matcher.sub(lambda m: f"{START}{m.group(0)}{STOP}", text)
