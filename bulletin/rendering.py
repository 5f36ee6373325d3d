"""Serving reader pages: cached per language and cache generation, ETag
revalidation.

A page is built in two parts:

- the content (`Page`: main column, sidebar, head metadata), which is what
  costs database queries. It depends only on the language, the path and a few
  declared query parameters, never on the visitor; it is rendered without a
  request and cached under the cache generation (bulletin/cache.py), so
  publishing or editing anything makes every cached page stale at once;
- the shell (templates/bulletin/page.html, extending base.html): header,
  language switch, messages, preview banner and the subscribe box.

When the rendered page holds nothing made for its visitor — no CSRF token
(the subscribe box needs none: newsletter/views.py says why), no messages, no
preview — the whole response is cached too, and a hit costs one cache read
and no rendering; for a visitor without a session or messages, and a URL
without a query string, PageCacheMiddleware answers it before the URL is
even resolved. A page whose shell does carry a visitor's CSRF token is
never shared whole: its shell is rendered per request from the cached
content, and its ETag covers that visitor's CSRF secret, so a browser only
reuses a page whose form token is still valid.

Only anonymous GET/HEAD requests share the cache; editors always get fresh
pages, and previews are never cached anywhere. A repeat visit revalidates with
its ETag and gets a 304.
"""

import hashlib
from dataclasses import asdict, dataclass, field
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    quote_etag,
)
from django.utils.translation import get_language, get_language_from_path

from bulletin import cache as page_cache
from bulletin import languages


@dataclass
class Meta:
    """What goes into <head>: canonical and hreflang links, OpenGraph tags, feeds."""

    title: str
    description: str = ""
    canonical: str = ""  # a path; SITE_URL is put in front in the template
    alternates: list[tuple[str, str]] = field(default_factory=list)  # (language, path)
    x_default: str | None = None
    og_type: str = "website"
    og_locale: str = ""
    og_locale_alternates: list[str] = field(default_factory=list)
    og_extra: list[tuple[str, str]] = field(default_factory=list)  # (property, content)
    feeds: list[tuple[str, str, str]] = field(default_factory=list)  # (title, mime type, path)
    noindex: bool = False


@dataclass
class Page:
    """A reader page's content, rendered once per language and generation."""

    kind: str  # home, issue, article, topic, topics, archive, search: a CSS hook
    title: str
    main: str
    aside: str = ""
    description: str = ""
    # language -> path of this same page, for the languages it exists in
    urls: dict[str, str] = field(default_factory=dict)
    # language -> where the language switch leads where the page does not exist
    fallbacks: dict[str, str] = field(default_factory=dict)
    canonical: str = ""
    og_type: str = "website"
    og_extra: list[tuple[str, str]] = field(default_factory=list)
    feeds: list[tuple[str, str, str]] = field(default_factory=list)
    subscribe_box: bool = False
    preview: bool = False
    noindex: bool = False

    def __post_init__(self):
        # A language that is not live has no pages to point at.
        live = languages.codes()
        self.urls = {code: url for code, url in self.urls.items() if code in live}

    def meta(self) -> Meta:
        current = get_language()
        return Meta(
            title=self.title,
            description=self.description,
            canonical=self.canonical or self.urls.get(current, ""),
            alternates=list(self.urls.items()),
            x_default=languages.x_default(self.urls),
            og_type=self.og_type,
            og_locale=languages.og_locale(current),
            og_locale_alternates=[
                languages.og_locale(code) for code in self.urls if code != current
            ],
            og_extra=self.og_extra,
            feeds=self.feeds,
            noindex=self.noindex or self.preview,
        )

    def language_links(self):
        return languages.links(self.urls, self.fallbacks)


def content_key(request, params: dict[str, str]) -> str:
    raw = "|".join(
        [page_cache.generation(), get_language(), request.path]
        + [f"{name}={value}" for name, value in sorted(params.items())]
    )
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


def _etag(key: str, request) -> str:
    """The page's ETag; with a `request`, tied to its CSRF secret (for a page
    whose form carries that visitor's token)."""
    # The CSRF secret the page's form token was made from (set by
    # CsrfViewMiddleware from the cookie, or by the render that created it).
    secret = request.META.get("CSRF_COOKIE", "") if request is not None else ""
    return quote_etag(hashlib.sha256(f"{key}|{secret}".encode()).hexdigest()[:32])


def _has_messages(request) -> bool:
    # len() loads the stored messages without marking them read.
    return len(messages.get_messages(request)) > 0


def _load(key: str) -> Page | None:
    data = cache.get(key)
    if data is None:
        return None
    try:
        return Page(**data)
    except TypeError:  # cached by an older release with other fields
        return None


def serve(request, build, *, params: dict[str, str] | None = None, cacheable: bool = True):
    """Answer a reader page. `build()` returns a `Page`, or a response (a
    redirect) to send as it is, or raises Http404; it runs only on a cache miss.
    `params`: the query parameters the content depends on, already normalised."""
    shared = (
        cacheable
        and request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and not _has_messages(request)
    )
    page = key = None
    if shared:
        key = content_key(request, params or {})
        hit = page_cache.get(_whole_key(request, params or {}))
        if hit is not None:
            return _from_cache(request, *hit)
        not_modified = get_conditional_response(request, etag=_etag(key, request))
        if not_modified is not None:
            return not_modified
        page = _load(key)
    if page is None:
        result = build()
        if isinstance(result, HttpResponseBase):
            return result
        page = result
        if shared and not page.preview:
            cache.set(key, asdict(page), settings.PAGE_CACHE_SECONDS)
    response = render(
        request,
        "bulletin/page.html",
        {"page": page, "meta": page.meta(), "language_links": page.language_links()},
    )
    if page.preview:
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex"
    elif shared and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        # Nothing in the page was made for this visitor (no CSRF token: the
        # subscribe box needs none), so the whole response is shared, and a hit
        # costs one cache read and no rendering.
        response["ETag"] = _etag(key, None)
        patch_cache_control(response, private=True, no_cache=True)
        _store(_whole_key(request, params or {}), response, ("ETag", "Cache-Control"))
    elif shared:
        # The browser keeps the page but asks every time; unchanged → 304.
        response["ETag"] = _etag(key, request)
        patch_cache_control(response, private=True, no_cache=True)
    else:
        add_never_cache_headers(response)
    return response


def _whole_key(request, params: dict[str, str]) -> str:
    """Where a shared page's whole response is kept: under its content key, or,
    for a URL without a query string, under its path alone, so that
    PageCacheMiddleware finds it before any view has said which parameters
    matter."""
    return "whole:" + content_key(request, params if request.META.get("QUERY_STRING") else {})


# A visitor with either cookie may be signed in or have a message waiting.
VISITOR_COOKIES = (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name)


class PageCacheMiddleware:
    """Answer a shared reader page from the page cache before the rest of the
    stack runs (URL resolution, sessions, CSRF, messages, the view), for a
    GET or HEAD without a query string from a visitor who carries no session
    and no messages. The outer middleware (security headers, CSP, language,
    request id) still applies. Anything else goes on to the view, whose
    serve() answers from the same cache where it may."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cached = self._cached(request)
        return self.get_response(request) if cached is None else cached

    @staticmethod
    def _cached(request):
        if (
            request.method not in ("GET", "HEAD")
            or request.META.get("QUERY_STRING")
            or any(name in request.COOKIES for name in VISITOR_COOKIES)
        ):
            return None
        language = get_language_from_path(request.path_info)
        if language is None or language not in languages.codes():
            return None  # not a reader page, or a language that is not live
        hit = page_cache.get(_whole_key(request, {}))
        if hit is None:
            return None
        response = _from_cache(request, *hit)
        # As on the view's path, where reading the session adds it.
        patch_vary_headers(response, ("Cookie",))
        return response


def _store(key: str, response, headers: tuple[str, ...]):
    """Keep a whole response: its body and the named headers it has."""
    kept = {name: response[name] for name in headers if response.has_header(name)}
    page_cache.set(key, (response.content, kept), settings.PAGE_CACHE_SECONDS)


def _from_cache(request, content: bytes, headers: dict[str, str]):
    """A kept response again, or a 304 where the visitor has it (by its ETag)."""
    if "ETag" in headers:
        not_modified = get_conditional_response(request, etag=headers["ETag"])
        if not_modified is not None:
            return not_modified
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    response["Content-Length"] = str(len(content))
    return response


def cached_response(view):
    """Cache a whole response under the cache generation, for anonymous GETs:
    for feeds and the sitemap, which carry no form and nothing per visitor.
    The key is the language and path (and the sitemap's ?p= page), so no
    other query string can fill the cache; PageCacheMiddleware answers the
    feeds from it too."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = _whole_key(request, {"p": request.GET.get("p", "")[:6]})
        hit = page_cache.get(key)
        if hit is not None:
            return _from_cache(request, *hit)
        response = view(request, *args, **kwargs)

        def store(rendered):
            if rendered.status_code == 200 and not rendered.streaming:
                _store(key, rendered, ("Content-Type", "Last-Modified", "X-Robots-Tag"))

        if callable(getattr(response, "add_post_render_callback", None)):
            response.add_post_render_callback(store)
        else:
            store(response)
        return response

    return wrapped
