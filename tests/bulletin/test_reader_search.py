"""Search in the current language: PostgreSQL full-text search (with stemming
and highlighted snippets) or SQLite's FTS5, both case-insensitive, with ё as е
and ranked; bad input answered with a message, never a 500, and always escaped."""

import re

import pytest

from bulletin import search

pytestmark = pytest.mark.django_db


def results(response) -> list[str]:
    return re.findall(r'<h2 class="result__title"><a href="([^"]+)"', response.content.decode())


def test_search_finds_published_articles_in_the_current_language(client, site):
    response = client.get("/en/search/", {"q": "Minsk"})
    assert response.status_code == 200
    assert set(results(response)) == {
        "/en/issues/1/azerbaijan/", "/en/issues/1/oil/", "/en/issues/2/troops/"}
    html = response.content.decode()
    assert "<mark>Minsk</mark>" in html
    assert "3 articles found for “Minsk”" in html
    assert '<meta name="robots" content="noindex">' in html

    # In Russian: only what is translated into Russian; never the draft.
    response = client.get("/ru/search/", {"q": "Минск"})
    assert set(results(response)) == {"/ru/issues/1/azerbaijan/", "/ru/issues/2/troops/"}
    assert "По запросу «Минск» найдены 2 статьи" in response.content.decode()
    assert results(client.get("/ru/search/", {"q": "бюджет"})) == []
    assert results(client.get("/en/search/", {"q": "budget"})) == []


def test_search_with_no_results_says_so(client, site):
    html = client.get("/be/search/", {"q": "Ватыкан"}).content.decode()
    assert "Нічога не знойдзена" in html
    assert 'value="Ватыкан"' in html


def test_search_pages_through_results(client, site):
    response = client.get("/en/search/", {"q": "Minsk", "page": "2"})
    assert response.status_code == 404  # three results fit on page 1


@pytest.mark.parametrize("query, message", [
    ("", "Type a word or a phrase to search for."),
    ("   \t ", "Type a word or a phrase to search for."),
    ("x" * 2000, "That search is too long: use at most 200 characters."),
])
def test_empty_and_long_searches_get_a_message(client, site, query, message):
    response = client.get("/en/search/", {"q": query})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert results(response) == []


def test_search_page_without_a_query_is_just_the_form(client, site):
    html = client.get("/ru/search/").content.decode()
    assert 'name="q"' in html and "Поиск по статьям на русском языке" in html
    assert 'role="alert"' not in html


@pytest.mark.parametrize("query", [
    "'; DROP TABLE bulletin_article; --",
    "\" OR 1=1 --",
    "Minsk' AND '1'='1",
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)> Minsk",
    "!!! ((( ))) & | : * <-> \\",
    "-Minsk",
    '"unclosed quote',
    "Minsk\x00Moscow",
    "%00 %27 %22",
])
def test_hostile_searches_are_answered_and_escaped(client, site, query):
    response = client.get("/en/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    if "<script>" in query:
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    from bulletin.models import Article

    assert Article.objects.count() == 4  # nothing dropped


def test_snippets_escape_article_text_and_mark_only_matches():
    marked = search.highlighted(f"a &lt;b&gt; {search.START}Minsk{search.STOP} &amp; c",
                                from_html=True)
    assert marked == "a &lt;b&gt; <mark>Minsk</mark> &amp; c"
    assert search.highlighted("<i>x</i>") == "&lt;i&gt;x&lt;/i&gt;"


def test_clean_query():
    assert search.clean_query("  Minsk \x00 oil\n").text == "Minsk oil"
    assert search.clean_query(None).error == ""
    assert search.clean_query("").error
    long = search.clean_query("y" * 201)
    assert long.text == "" and long.error and len(long.shown) == 200


def test_postgres_full_text_search_stems_ranks_and_highlights(client, site, need_postgres):
    # Stemming: "supply" finds "supplies"; Russian "подразделение" finds "подразделения".
    assert results(client.get("/en/search/", {"q": "supply"})) == ["/en/issues/1/oil/"]
    response = client.get("/ru/search/", {"q": "подразделение"})
    assert results(response) == ["/ru/issues/2/troops/"]
    assert "<mark>подразделения</mark>" in response.content.decode()
    # Ranking: a title match (weight A) comes before a body match (weight C).
    ranked = results(client.get("/en/search/", {"q": "Azerbaijan OR Minsk"}))
    assert ranked[0] == "/en/issues/1/azerbaijan/"
    # Websearch syntax: a quoted phrase, and exclusion.
    assert results(client.get("/en/search/", {"q": '"joint drills"'})) == [
        "/en/issues/2/troops/"]
    assert "/en/issues/1/oil/" not in results(
        client.get("/en/search/", {"q": "Minsk -agreement"}))
    # Belarusian uses the 'simple' configuration: whole words, any case.
    assert results(client.get("/be/search/", {"q": "мінск"})) == ["/be/issues/1/azerbaijan/"]
    # Snippets come from the text, not the HTML, and entities are decoded once.
    html = client.get("/en/search/", {"q": "Moscow"}).content.decode()
    assert "Minsk &amp; <mark>Moscow</mark>" in html
    assert "&lt;p&gt;" not in html


@pytest.mark.parametrize("language", ["en", "be", "ru"])
def test_any_text_gets_an_answer_never_a_500(client, site, language):
    from hypothesis import HealthCheck, given
    from hypothesis import settings as hypothesis_settings
    from hypothesis import strategies as st

    @hypothesis_settings(max_examples=40, deadline=None,
                         suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.text(max_size=300))
    def check(query):
        response = client.get(f"/{language}/search/", {"q": query})
        assert response.status_code == 200
        assert "<script" not in response.content.decode()  # the site has none of its own

    check()


def test_postgres_stored_vectors_follow_every_write_and_are_indexed(client, site, need_postgres):
    """The vectors live in generated columns (migration 0004): an edit by
    save(), by update() or in raw SQL is searchable at once, and matching
    reads the language's GIN index rather than parsing every article."""
    from django.db import connection

    from bulletin.models import Article

    oil = Article.objects.get(slug="oil")
    oil.title_en = "Potash stalls"
    oil.lead_en = "<p>Exports stopped.</p>"
    oil.body_en = "<p>Potash exports through Klaipeda stopped.</p>"
    oil.save()
    assert results(client.get("/en/search/", {"q": "potash"})) == ["/en/issues/1/oil/"]
    assert results(client.get("/en/search/", {"q": "supply"})) == []  # the old text is gone

    Article.objects.filter(slug="oil").update(lead_en="<p>Refineries idle.</p>")
    assert results(client.get("/en/search/", {"q": "refinery"})) == ["/en/issues/1/oil/"]

    with connection.cursor() as cursor:
        cursor.execute("UPDATE bulletin_article SET title_en = 'Fertiliser war' WHERE slug = 'oil'")
    ranked = results(client.get("/en/search/", {"q": "fertiliser"}))
    assert ranked == ["/en/issues/1/oil/"]

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM bulletin_article "
            "WHERE search_ru @@ websearch_to_tsquery('russian', 'минск')"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "article_search_vector_ru" in plan


# Case, ё and е, ranking and crafted input: the same answers on SQLite (FTS5)
# and PostgreSQL (the suite runs on both).


@pytest.mark.parametrize("language, query, expected", [
    ("ru", "Минск", {"/ru/issues/1/azerbaijan/", "/ru/issues/2/troops/"}),
    ("ru", "минск", {"/ru/issues/1/azerbaijan/", "/ru/issues/2/troops/"}),
    ("ru", "МИНСК", {"/ru/issues/1/azerbaijan/", "/ru/issues/2/troops/"}),
    ("ru", "мИнСк", {"/ru/issues/1/azerbaijan/", "/ru/issues/2/troops/"}),
    ("ru", "партнером", {"/ru/issues/1/azerbaijan/"}),  # the text has «партнёром»
    ("ru", "ПАРТНЁРОМ", {"/ru/issues/1/azerbaijan/"}),
    ("ru", "дает", {"/ru/issues/2/troops/"}),  # «даёт»
    ("be", "мінск", {"/be/issues/1/azerbaijan/"}),
    ("be", "МІНСК", {"/be/issues/1/azerbaijan/"}),
    ("be", "партнерам", {"/be/issues/1/azerbaijan/"}),  # «партнёрам»
    ("be", "ПАЎДНЕВЫМ", {"/be/issues/1/azerbaijan/"}),  # «Паўднёвым»
    ("en", "MINSK", {"/en/issues/1/azerbaijan/", "/en/issues/1/oil/", "/en/issues/2/troops/"}),
])
def test_search_ignores_case_and_reads_yo_as_ye(client, site, language, query, expected):
    response = client.get(f"/{language}/search/", {"q": query})
    assert set(results(response)) == expected
    assert "<mark>" in response.content.decode()


def test_search_marks_the_words_as_written_in_the_text(client, site):
    html = client.get("/ru/search/", {"q": "партнером"}).content.decode()
    assert "<mark>партнёром</mark>" in html
    html = client.get("/be/search/", {"q": "мінск"}).content.decode()
    assert "<mark>Мінск</mark>" in html


def test_search_ranks_a_title_match_before_a_body_match(client, site):
    ranked = results(client.get("/en/search/", {"q": "Azerbaijan OR Minsk"}))
    assert ranked[0] == "/en/issues/1/azerbaijan/"
    assert set(ranked) == {"/en/issues/1/azerbaijan/", "/en/issues/1/oil/", "/en/issues/2/troops/"}
    # A word in the title of one article and the body of another.
    oil = results(client.get("/en/search/", {"q": "oil"}))
    assert oil == ["/en/issues/1/oil/"]


def test_search_phrases_exclusions_and_word_beginnings(client, site):
    assert results(client.get("/en/search/", {"q": '"joint drills"'})) == ["/en/issues/2/troops/"]
    assert results(client.get("/en/search/", {"q": '"drills joint"'})) == []
    assert "/en/issues/1/oil/" not in results(client.get("/en/search/", {"q": "Minsk -agreement"}))
    # A word finds the longer words it begins (Russian cases, English plurals).
    assert set(results(client.get("/ru/search/", {"q": "подразделени"}))) == {
        "/ru/issues/2/troops/"}
    assert results(client.get("/en/search/", {"q": "negotiation"})) == ["/en/issues/1/oil/"]


def test_the_index_follows_every_write(client, site):
    from django.db import connection

    from bulletin.models import Article

    Article.objects.filter(slug="oil").update(lead_en="<p>Refineries idle.</p>")
    assert results(client.get("/en/search/", {"q": "refineries"})) == ["/en/issues/1/oil/"]
    assert results(client.get("/en/search/", {"q": "negotiations"})) == []
    with connection.cursor() as cursor:
        cursor.execute("UPDATE bulletin_article SET title_en = 'Fertiliser war' WHERE slug = 'oil'")
    assert results(client.get("/en/search/", {"q": "FERTILISER"})) == ["/en/issues/1/oil/"]
    Article.objects.filter(slug="oil").delete()
    assert results(client.get("/en/search/", {"q": "fertiliser"})) == []


def test_markup_is_not_searched(client, site):
    from bulletin.models import Article

    article = Article.objects.get(slug="oil")
    article.body_en = '<p><strong>Quiet</strong> <a href="https://example.org/">talks</a>.</p>'
    article.save()
    for tag in ("strong", "href", "example"):
        assert results(client.get("/en/search/", {"q": tag})) == []
    assert results(client.get("/en/search/", {"q": "quiet talks"})) == ["/en/issues/1/oil/"]


@pytest.mark.parametrize("query", [
    "&|!:*()'",
    "<!--" * 50,
    "<!--<!--<!-- Minsk",
    "!" * 200,
    "'minsk':* & !oil | (a <-> b)",
    "OR OR OR",
    "- - -",
    '"""',
    "((((((((((((((((((((((((((((((((((((((((Minsk",
    " ".join(["Minsk"] * 40),
    " ".join(f"-w{i}" for i in range(40)) + " Minsk",
    "NEAR(Minsk oil) AND title:Minsk ^Minsk",
    "Мiнск",  # mixed scripts
    "\u0301\u0308",
])
@pytest.mark.parametrize("language", ["en", "be", "ru"])
def test_crafted_searches_get_results_or_a_message(client, site, query, language):
    response = client.get(f"/{language}/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    found = results(response)
    assert found or 'role="alert"' in html or "Нічога не знойдзена" in html \
        or "Ничего не найдено" in html or "Nothing found" in html


def test_punctuation_alone_gets_a_clear_message(client, site):
    html = client.get("/en/search/", {"q": "&|!:*()'"}).content.decode()
    assert "Search for at least one word" in html
    html = client.get("/ru/search/", {"q": "<!--<!--"}).content.decode()
    assert "Введите хотя бы одно слово" in html
    html = client.get("/en/search/", {"q": "x" * 1000}).content.decode()
    assert "That search is too long: use at most 200 characters." in html


def test_parse_terms_bounds_the_words():
    terms = search.parse_terms(" ".join(f"w{i}" for i in range(100)))
    assert sum(len(t.words) for t in terms) == search.MAX_WORDS
    terms = search.parse_terms('ёлка OR "Мінск ёсць" -x')
    assert terms == [
        search.Term(("елка",)),
        search.Term(("Мінск", "есць"), either=True),
        search.Term(("x",), excluded=True),
    ]
    assert search.tsquery_text(terms) == "'елка':* | ('Мінск':* <-> 'есць':*) & !'x':*"
    assert search.fts5_text(terms) == '("елка"* OR "Мінск есць") NOT "x"*'
