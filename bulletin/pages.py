"""What each reader page shows: its reads and the rendering of its content.

Each builder shows only published content (or, in a preview, what an editor
may see), reads it in a fixed number of queries whatever the number of
articles, and renders it without a request, so that the result can be cached
and shared between visitors (see bulletin/pagecache/responses.py). Builders raise Http404 for
anything a reader may not see.
"""

import datetime
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.db import connection
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext, override

from bulletin import images, languages
from bulletin import search as article_search
from bulletin.models import Article, Author, Issue, Topic
from bulletin.page import Page
from bulletin.pagecache import generation as page_cache
from bulletin.periods import period_label
from bulletin.prepared import Prepared, server_side
from bulletin.sanitize import plain_text
from bulletin.timeline import timelines
from bulletin.urlcache import reader_url

ARTICLES_PER_TOPIC_PAGE = 10
ARTICLES_PER_AUTHOR_PAGE = 10
ISSUES_PER_ARCHIVE_PAGE = 20
RESULTS_PER_SEARCH_PAGE = 20
SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,120}$")


def may_preview(user, model: str) -> bool:
    """Staff who may see `model` in the admin may see it unpublished on the site."""
    return bool(
        user.is_authenticated and user.is_staff and user.has_perm(f"bulletin.view_{model}")
    )


# Pieces shared by several pages.


def _everywhere(name: str, **kwargs) -> dict[str, str]:
    """The URL of a page that exists in every language."""
    urls = {}
    for code in languages.codes():
        with override(code):
            urls[code] = reverse(name, kwargs=kwargs or None)
    return urls


def _site_feeds() -> list[tuple[str, str, str]]:
    return [
        (gettext("%(site)s: all articles (RSS)") % {"site": settings.SITE_NAME},
         "application/rss+xml", reverse("bulletin:feed_rss")),
        (gettext("%(site)s: all articles (Atom)") % {"site": settings.SITE_NAME},
         "application/atom+xml", reverse("bulletin:feed_atom")),
    ]


def _aside(latest) -> str:
    """The sidebar under the subscribe box: the latest week with each topic's
    trend at a glance (how long it has gone that way), and the topics."""
    topics = list(Topic.objects.all())
    situation = []
    if latest is not None:
        lines = timelines([t.pk for t in topics], until=latest.start_date)
        situation = [(t, lines[t.pk]) for t in topics if lines[t.pk].current_trend]
    return _render(
        "bulletin/_aside.html", {"latest": latest, "topics": topics, "situation": situation}
    )


def _latest_aside() -> str:
    """The sidebar with the latest week, the same on every article page of a
    language: rendered once per cache generation and language, then kept with
    the pages (the generation changes with anything it shows)."""
    key = f"aside:{page_cache.generation()}:{get_language()}"
    html = page_cache.value_read(key)
    if html is None:
        html = _aside(Issue.objects.latest_published())
        page_cache.value_store(key, html, settings.PAGE_CACHE_SECONDS)
    return html


def _render(template: str, context: dict) -> str:
    # No request: the content must not depend on the visitor (it is shared).
    return render_to_string(template, {"SITE_NAME": settings.SITE_NAME, **context})


@dataclass
class Credit:
    """An author as a page in one language names them."""

    name: str
    url: str
    lang: str = ""  # set when the name is not in the page's language (its English form)


def author_credit(author: Author, language: str) -> Credit:
    """The author's name in `language`; where it has none yet, the English
    name, marked as English (lang) so neither readers nor screen readers take
    it for the page's language."""
    name = author.name_in(language)
    lang = ""
    if not name:
        name, lang = author.name_in("en") or author.slug, "en"
    return Credit(name=name, url=author.url_in(language), lang=lang)


def _describe(html: str, length: int = 30) -> str:
    return Truncator(plain_text(html)).words(length)


def _paginate(queryset, number: int, per_page: int):
    try:
        return Paginator(queryset, per_page).page(number)
    except InvalidPage:
        raise Http404 from None


def _reader_articles(language: str):
    return Article.objects.published().for_language(language).for_reader()


def _in_issue_order(articles):
    return articles.order_by("topic__position", "topic__slug", "position", "pk")


def issue_heading(issue: Issue) -> str:
    """What an issue is about, in the active language: its title, then its
    period; without a title, its number and period."""
    if issue.title:
        return f"{issue.title} · {issue.period_label()}"
    return gettext("Issue %(number)s: %(period)s") % {
        "number": issue.number, "period": issue.period_label()}


def untranslated_url(issue: Issue, slug: str, language: str) -> str:
    """Where a reader lands who asks for an article in a language it lacks."""
    return issue.url_in(language) + "?" + urlencode({"untranslated": slug})


def _published_or_preview(candidates, preview_allowed: bool):
    """The published object among `candidates`, or else, for someone who may
    preview, the unpublished one: (object, is_preview). Http404 otherwise."""
    found = candidates.published().first()
    if found is not None:
        return found, False
    found = candidates.first() if preview_allowed else None
    if found is None:
        raise Http404
    return found, True


def _paged_urls(urls: dict[str, str], number: int) -> dict[str, str]:
    # Page 2 of a list in one language is not page 2 in another (each language
    # lists only what is translated): beyond page 1, only this language's URL.
    if number == 1:
        return urls
    code = get_language()
    return {code: f"{urls[code]}?page={number}"}


# The pages.


def home() -> Page:
    language = get_language()
    # Its latest issue with articles in this language; where none has any yet,
    # the latest issue, whose page says they are not translated.
    issue = Issue.objects.latest_published(language) or Issue.objects.latest_published()
    articles = []
    if issue is not None:
        articles = list(_in_issue_order(_reader_articles(language).in_issue(issue)))
    main = _render("bulletin/home.html", {"issue": issue, "articles": articles})
    return Page(
        kind="home",
        title=issue_heading(issue) if issue else settings.SITE_NAME,
        main=main,
        aside=_aside(issue),
        description=_describe(issue.summary if issue else "")
        or gettext("Weekly analysis of politics and society in Belarus."),
        urls=_everywhere("bulletin:home"),
        feeds=_site_feeds(),
        subscribe_box=True,
    )


def issue(number: int, *, preview_allowed: bool, untranslated: str | None = None):
    language = get_language()
    codes = languages.codes()
    issue, preview = _published_or_preview(
        Issue.objects.with_article_counts(codes).filter(number=number), preview_allowed
    )
    # A preview shows every article of the issue that has the language, whatever its state.
    articles = Article.objects.for_language(language).for_reader() if preview else (
        _reader_articles(language)
    )
    articles = list(_in_issue_order(articles.in_issue(issue)))

    note = None
    if untranslated is not None:
        note = _untranslated_note(issue, untranslated, language, preview)
        if note is None:  # unknown, unpublished or in fact translated: drop the note
            return redirect(issue.url_in(language))

    published = Issue.objects.published()
    previous = published.filter(start_date__lt=issue.start_date).order_by("-start_date").first()
    following = published.filter(start_date__gt=issue.start_date).order_by("start_date").first()
    main = _render(
        "bulletin/issue.html",
        {
            "issue": issue,
            "articles": articles,
            "note": note,
            "previous": previous,
            "next": following,
            "preview": preview,
        },
    )
    in_languages = {
        code: issue.url_in(code) for code in codes if preview or getattr(issue, f"articles_{code}")
    }
    return Page(
        kind="issue",
        title=issue_heading(issue),
        main=main,
        aside=_aside(Issue.objects.latest_published()),
        description=_describe(issue.summary) or issue.period_label(),
        urls=in_languages,
        fallbacks={code: issue.url_in(code) for code in codes},
        canonical=issue.url_in(language),
        feeds=_site_feeds(),
        subscribe_box=True,
        preview=preview,
    )


def _untranslated_note(issue, slug, language, preview):
    if not SLUG.match(slug):
        return None
    articles = Article.objects.filter(issue=issue, slug=slug)
    if not preview:
        articles = articles.published()
    article = articles.select_related("issue").first()
    if article is None or article.has_language(language) or not article.languages:
        return None
    return {
        "links": [
            (code, languages.name_in_itself(code), article.url_in(code))
            for code in article.languages
        ]
    }


def _article_candidates(number, slug):
    # One article at most (its slug is unique in its issue): no need for the
    # model's ordering, whose joins cost more to compile than the query to run.
    return Article.objects.for_reader().filter(issue__number=number, slug=slug).order_by("pk")


# The published article, by the SQL compiled once (bulletin/prepared.py).
_published_article = Prepared(
    lambda number, slug: _article_candidates(number, slug).published()[:1],
    number=2_000_000_017, slug="prepared-slug-marker",
)
# The article's authors, in byline order.
_byline = Prepared(
    lambda article_id: Author.objects.filter(bylines__article=article_id).order_by(
        "bylines__position", "bylines__pk"),
    article_id=2_000_000_023,
)
LARGEST_NUMBER = 2**31 - 1  # PostgreSQL's integer: beyond it, the ORM says "none"


def _article_or_preview(number: int, slug: str, preview_allowed: bool):
    """(article, is_preview) as _published_or_preview, its usual case (a
    published article) in one query compiled once."""
    if not 0 <= number <= LARGEST_NUMBER:
        return _published_or_preview(_article_candidates(number, slug), preview_allowed)
    found = _published_article(number=number, slug=slug)
    if found:
        return found[0], False
    found = _article_candidates(number, slug).first() if preview_allowed else None
    if found is None:
        raise Http404
    return found, True


def article(number: int, slug: str, *, preview_allowed: bool):
    language = get_language()
    try:
        article, preview = _article_or_preview(number, slug, preview_allowed)
    except Http404:
        moved = Article.objects.published().filter(
            old_urls__number=number, old_urls__slug=slug
        ).first()
        if moved is None:
            raise
        return redirect(moved.url_in(language), permanent=True)
    if not article.has_language(language):
        return redirect(untranslated_url(article.issue, article.slug, language))

    previous, following = _neighbours(article, language)
    credits = [author_credit(author, language) for author in _byline(article_id=article.pk)]
    body_images = images.images_for(article.body)
    lead_image = article.lead_image
    live = languages.codes()
    also_in = [
        (code, languages.name_in_itself(code), article.url_in(code))
        for code in article.languages
        if code != language and code in live
    ]
    main = _render(
        "bulletin/article.html",
        {
            "article": article,
            "body": mark_safe(images.body_with_images(article.body, body_images, language)),  # noqa: S308
            "lead_picture": mark_safe(  # noqa: S308
                images.picture_html(lead_image, language, lazy=False) if lead_image else ""
            ),
            "lead_image": lead_image,
            "lead_credit": images.credit_html(lead_image, language) if lead_image else "",
            "issue": article.issue,
            "topic": article.topic,
            "also_in": also_in,
            "credits": credits,
            "previous": previous,
            "next": following,
        },
    )
    published_at = article.published_at or article.issue.published_at
    og_extra = [("article:section", article.topic.name)]
    if published_at:
        og_extra.insert(0, ("article:published_time", published_at.isoformat()))
    if lead_image:
        url, width, height = lead_image.fitting_src(1600)
        og_extra += [("og:image", url), ("og:image:width", str(width)),
                     ("og:image:height", str(height)),
                     ("og:image:alt", lead_image.localized("alt", language))]
    return Page(
        kind="article",
        title=article.title,
        main=main,
        aside=_latest_aside(),
        description=_describe(article.lead),
        urls={code: article.url_in(code) for code in article.languages},
        fallbacks={
            code: untranslated_url(article.issue, article.slug, code)
            for code in languages.codes()
            if code not in article.languages
        },
        og_type="article",
        og_extra=og_extra,
        feeds=_site_feeds(),
        subscribe_box=True,
        preview=preview,
    )


@dataclass
class Neighbour:
    """The article before or after another in its topic, as its pager shows it."""

    title: str
    url: str
    period: str


# The published articles of the topic in this language, ordered by (week,
# place in the issue, id): the one just before `key` and the one just after,
# each found by its own LIMIT 1 (the redundant week bounds let the database
# start from the issues' week index).
_NEIGHBOURS_SQL = """
SELECT * FROM (
  SELECT t.n_slug, t.n_title, t.n_number, t.n_start, t.n_end, 0 FROM ({same_topic}) t
  WHERE t.n_start <= %s AND (t.n_start, t.n_position, t.n_id) < (%s, %s, %s)
  ORDER BY t.n_start DESC, t.n_position DESC, t.n_id DESC LIMIT 1) p
UNION ALL
SELECT * FROM (
  SELECT t.n_slug, t.n_title, t.n_number, t.n_start, t.n_end, 1 FROM ({same_topic}) t
  WHERE t.n_start >= %s AND (t.n_start, t.n_position, t.n_id) > (%s, %s, %s)
  ORDER BY t.n_start, t.n_position, t.n_id LIMIT 1) n
"""


def _neighbours(article, language) -> tuple[Neighbour | None, Neighbour | None]:
    """The published articles of the same topic just before and after this one
    (by week, then by place in the issue), in this language: one query, its
    filter (published, translated) the ORM's own, prepared on the server
    (bulletin/prepared.py)."""
    sql, params = _same_topic_sql(language, article.topic_id)
    week = connection.ops.adapt_datefield_value(article.issue.start_date)
    key = [week, week, article.position, article.pk]
    params = [*params, *key, *params, *key]
    statement = server_side(connection, _NEIGHBOURS_SQL.format(same_topic=sql), len(params))
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        rows = cursor.fetchall()
    found: list[Neighbour | None] = [None, None]
    for slug, title, number, start, end, side in rows:
        url = reader_url("bulletin:article", number=number, slug=slug)
        # A raw cursor leaves SQLite's dates as text.
        start, end = (datetime.date.fromisoformat(str(day)) for day in (start, end))
        found[side] = Neighbour(title=title, url=url, period=period_label(start, end, language))
    return found[0], found[1]


def _same_topic(language: str, topic_id):
    return (
        Article.objects.rewrite(False)  # names below are explicit: nothing to translate
        .published().for_language(language).in_topic(topic_id).order_by()
        .values(
            n_id=F("pk"), n_slug=F("slug"), n_title=F(f"title_{language}"),
            n_number=F("issue__number"), n_start=F("issue__start_date"),
            n_end=F("issue__end_date"), n_position=F("position"),
        )
    )


# The ORM's SQL for _same_topic, compiled once per database and language (its
# compilation cost more than running it): (sql, params, where the publication
# time goes, where the topic goes).
_SAME_TOPIC_SQL: dict[tuple[str, str], tuple[str, list, int, int]] = {}
_TOPIC_MARK = -7_340_271


def _same_topic_sql(language: str, topic_id) -> tuple[str, list]:
    key = (connection.vendor, language)
    if key not in _SAME_TOPIC_SQL:
        sql, params = _same_topic(language, _TOPIC_MARK).query.sql_with_params()
        params = list(params)
        times = [i for i, p in enumerate(params) if isinstance(p, datetime.datetime)]
        topics = [i for i, p in enumerate(params) if p == _TOPIC_MARK]
        if len(times) != 1 or len(topics) != 1:  # not the shape expected: compile each time
            sql, params = _same_topic(language, topic_id).query.sql_with_params()
            return sql, list(params)
        _SAME_TOPIC_SQL[key] = (sql, params, times[0], topics[0])
    sql, params, at_time, at_topic = _SAME_TOPIC_SQL[key]
    params = list(params)
    params[at_time], params[at_topic] = timezone.now(), topic_id
    return sql, params


def topic(slug: str, number: int = 1) -> Page:
    language = get_language()
    topic = Topic.objects.filter(slug=slug).first()
    if topic is None:
        raise Http404
    latest = Issue.objects.latest_published()
    timeline = timelines(
        [topic.pk], until=latest.start_date if latest else None, at_least=12
    )[topic.pk]
    page = _paginate(
        _reader_articles(language).in_topic(topic).in_reading_order(),
        number,
        ARTICLES_PER_TOPIC_PAGE,
    )
    main = _render(
        "bulletin/topic.html", {"topic": topic, "timeline": timeline, "page_obj": page}
    )
    urls = _everywhere("bulletin:topic", slug=topic.slug)
    name = topic.name or topic.slug
    return Page(
        kind="topic",
        title=name,
        main=main,
        aside=_aside(latest),
        description=_describe(topic.description) or name,
        urls=_paged_urls(urls, number),
        fallbacks=urls,
        feeds=[
            (gettext("%(topic)s (RSS)") % {"topic": name}, "application/rss+xml",
             reverse("bulletin:topic_feed_rss", kwargs={"slug": topic.slug})),
            (gettext("%(topic)s (Atom)") % {"topic": name}, "application/atom+xml",
             reverse("bulletin:topic_feed_atom", kwargs={"slug": topic.slug})),
        ],
        subscribe_box=True,
    )


def author(slug: str, number: int = 1) -> Page:
    """An author's page: their name and bio in this language, and their
    published articles in it, newest first."""
    language = get_language()
    author = Author.objects.filter(slug=slug).first() if SLUG.match(slug) else None
    if author is None:
        raise Http404
    page = _paginate(
        _reader_articles(language).filter(bylines__author=author).in_reading_order(),
        number,
        ARTICLES_PER_AUTHOR_PAGE,
    )
    credit = author_credit(author, language)
    bio = getattr(author, f"bio_{language}", "") or ""
    main = _render(
        "bulletin/author.html",
        {"author": author, "credit": credit, "bio": bio, "page_obj": page},
    )
    urls = _everywhere("bulletin:author", slug=author.slug)
    return Page(
        kind="author",
        title=credit.name,
        main=main,
        aside=_aside(Issue.objects.latest_published()),
        description=_describe(bio) or gettext("Articles by %(name)s") % {"name": credit.name},
        urls=_paged_urls(urls, number),
        fallbacks=urls,
        feeds=[
            (gettext("%(name)s (RSS)") % {"name": credit.name}, "application/rss+xml",
             reverse("bulletin:author_feed_rss", kwargs={"slug": author.slug})),
            (gettext("%(name)s (Atom)") % {"name": credit.name}, "application/atom+xml",
             reverse("bulletin:author_feed_atom", kwargs={"slug": author.slug})),
        ],
        subscribe_box=True,
    )


def topics() -> Page:
    topics = list(Topic.objects.all())
    latest = Issue.objects.latest_published()
    lines = timelines(
        [t.pk for t in topics], until=latest.start_date if latest else None, weeks=12
    )
    main = _render(
        "bulletin/topics.html", {"rows": [(t, lines[t.pk]) for t in topics]}
    )
    return Page(
        kind="topics",
        title=gettext("Topics"),
        main=main,
        description=gettext("The standing sections of the bulletin and their trends."),
        urls=_everywhere("bulletin:topics"),
        feeds=_site_feeds(),
    )


def archive(number: int = 1) -> Page:
    language = get_language()
    issues = (
        Issue.objects.published()
        .with_article_counts([language])
        .filter(**{f"articles_{language}__gt": 0})
        .order_by("-start_date")
    )
    page = _paginate(issues, number, ISSUES_PER_ARCHIVE_PAGE)
    years: list[tuple[int, list]] = []
    for issue in page.object_list:
        issue.article_count = getattr(issue, f"articles_{language}")
        year = issue.start_date.isocalendar().year
        if not years or years[-1][0] != year:
            years.append((year, []))
        years[-1][1].append(issue)
    main = _render("bulletin/archive.html", {"page_obj": page, "years": years})
    urls = _everywhere("bulletin:archive")
    return Page(
        kind="archive",
        title=gettext("All issues"),
        main=main,
        description=gettext("Every weekly issue of the bulletin, newest first."),
        urls=_paged_urls(urls, number),
        fallbacks=urls,
        feeds=_site_feeds(),
    )


def search(raw_query: str | None, number: int = 1) -> Page:
    """Not cached: the results depend on whatever the reader typed."""
    language = get_language()
    query = article_search.clean_query(raw_query)
    page = None
    if query.text:
        found = article_search.articles_search(_reader_articles(language), query, language)
        page = _paginate(found, number, RESULTS_PER_SEARCH_PAGE)
        page.object_list = list(page.object_list)
        article_search.add_headlines(page.object_list, query, language)
        for item in page.object_list:
            article_search.decorate(item, query, language)
    main = _render(
        "bulletin/search.html",
        {
            "query": query,
            "page_obj": page,
            "page_query": urlencode({"q": query.text}) + "&" if query.text else "",
            "max_length": article_search.MAX_QUERY_LENGTH,
        },
    )
    urls = _everywhere("bulletin:search")
    switch = urls
    if query.text:
        switch = {code: f"{url}?{urlencode({'q': query.text})}" for code, url in urls.items()}
    return Page(
        kind="search",
        title=gettext("Search: %(query)s") % {"query": query.shown}
        if query.shown else gettext("Search"),
        main=main,
        urls=switch,
        canonical=urls[language],
        noindex=True,
    )
