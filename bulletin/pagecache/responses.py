"""Serving reader pages: cached per language and cache generation, ETag
revalidation. `serve()` for the reader views, `cached_response` for the feeds
and the sitemap; PageCacheMiddleware (middleware.py) answers from the same store.

A page is built in two parts:

- the content (`bulletin.page.Page`: main column, sidebar, head metadata), which is what
  costs database queries. It depends only on the language, the path and a few
  declared query parameters, never on the visitor; it is rendered without a
  request and cached under the cache generation (generation.py), so
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
import time
from dataclasses import asdict
from functools import wraps
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseBase, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    quote_etag,
)
from django.utils.translation import get_language

from bulletin.page import Page
from bulletin.pagecache import generation as page_cache


def content_key(request, params: dict[str, str]) -> str:
    raw = "|".join(
        [page_cache.generation(), get_language(), request.path]
        + [f"{name}={value}" for name, value in sorted(params.items())]
    )
    # Asked for several times per request: hashed once.
    return page_cache.memoised("key|" + raw, lambda: "page:" + _sha256(raw))


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


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


def _load(key: str, *, fresh: bool = False) -> Page | None:
    found, data = (False, None) if fresh else page_cache.prefetched(key)
    if not found:
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
        and not page_cache.bypassed()
        and not request.user.is_authenticated
        and not _has_messages(request)
    )
    page = key = None
    if shared:
        key = content_key(request, params or {})
        whole = whole_key(request, params or {})
        page_cache.prefetch([whole, key])
        hit = page_cache.value_read(whole)
        if hit is not None:
            return from_cache(request, *hit)
        not_modified = get_conditional_response(request, etag=_etag(key, request))
        if not_modified is not None:
            return not_modified
        page = _load(key)
        if page is None and page_cache.refresh():
            # Another process has published meanwhile: look again under its generation.
            return serve(request, build, params=params, cacheable=cacheable)
    if page is None:
        building = _render_lock(key) if shared else None
        if building is False:
            page = _wait_for(key)  # another request renders it: wait briefly for it
        if page is None:
            stored = False
            try:
                result = build()
                if isinstance(result, HttpResponseBase):
                    return result
                page = result
                elsewhere = _canonical_elsewhere(request, page)
                if elsewhere:
                    return HttpResponsePermanentRedirect(elsewhere)
                if shared and not page.preview:
                    # Sent with the whole response below, in one pipeline; the
                    # lock then simply expires (its key is of this generation),
                    # and those who wait for it find the page.
                    page_cache.store_later(key, asdict(page), settings.PAGE_CACHE_SECONDS)
                    stored = True
            finally:
                if building and not stored:
                    cache.delete(_lock_key(key))
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
        _store(whole_key(request, params or {}), response, ("ETag", "Cache-Control"))
    elif shared:
        # The browser keeps the page but asks every time; unchanged → 304.
        response["ETag"] = _etag(key, request)
        patch_cache_control(response, private=True, no_cache=True)
    else:
        add_never_cache_headers(response)
    page_cache.flush()
    return response


# Single flight: when many readers miss the same page at once (the rush after a
# publication), one renders it and the others wait for its copy, for up to
# RENDER_WAIT_SECONDS, then render it themselves. The lock expires on its own
# if its holder dies.
RENDER_LOCK_SECONDS = 10
RENDER_WAIT_SECONDS = 3.0
RENDER_POLL_SECONDS = 0.02


def _lock_key(key: str) -> str:
    return "rendering:" + key


def _render_lock(key: str) -> bool | None:
    """True: this request renders the page; False: another one does; None: no
    shared cache to coordinate through (it is down), so everyone renders."""
    if cache.add(_lock_key(key), 1, timeout=RENDER_LOCK_SECONDS):
        return True
    return False if getattr(cache, "available", True) else None


def _wait_until_stored(key: str, load):
    """What `load()` finds once the request holding `key`'s render lock has
    stored it; None if it is not there within RENDER_WAIT_SECONDS, or if its
    renderer gave up (a 404, a redirect: the caller then renders itself)."""
    deadline = time.monotonic() + RENDER_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(RENDER_POLL_SECONDS)
        found = load()
        if found is not None:
            return found
        if not cache.has_key(_lock_key(key)):
            return load()
    return None


def _wait_for(key: str) -> Page | None:
    """A page (content) another request is rendering."""
    return _wait_until_stored(key, lambda: _load(key, fresh=True))


def _wait_for_whole(key: str):
    """A whole response another request is rendering."""
    return _wait_until_stored(key, lambda: cache.get(key))


def _canonical_elsewhere(request, page) -> str | None:
    """Where to send a request for another spelling of the page's URL
    (/en/issues/0148/ for /en/issues/148/), keeping its query string; None
    when it asked for the canonical path. Only canonical paths are ever
    cached, so spellings cannot fill the cache."""
    url = page.urls.get(get_language())
    if not url or page.preview:
        return None
    path = urlsplit(url).path
    if unquote(path) == request.path:
        return None
    query = request.META.get("QUERY_STRING", "")
    return path + (f"?{query}" if query else "")


def whole_key(request, params: dict[str, str]) -> str:
    """Where a shared page's whole response is kept: under its content key, or,
    for a URL without a query string, under its path alone, so that
    PageCacheMiddleware finds it before any view has said which parameters
    matter."""
    return "whole:" + content_key(request, params if request.META.get("QUERY_STRING") else {})


def _store(key: str, response, headers: tuple[str, ...]):
    """Keep a whole response: its body and the named headers it has."""
    kept = {name: response[name] for name in headers if response.has_header(name)}
    page_cache.value_store(key, (response.content, kept), settings.PAGE_CACHE_SECONDS)


def from_cache(request, content: bytes, headers: dict[str, str]):
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


def cached_response(view, *, paged: bool = False):
    """Cache a whole response under the cache generation, for anonymous GETs:
    for feeds and the sitemap, which carry no form and nothing per visitor.
    The key is the language and path, and for a `paged` view (the sitemap)
    its ?p= page as a number, so no other query string, nor another spelling
    of the number, can fill the cache; only 200s are kept (a page past the
    end is a 404). PageCacheMiddleware answers the feeds from it too."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if (request.method not in ("GET", "HEAD") or request.user.is_authenticated
                or page_cache.bypassed()):
            return view(request, *args, **kwargs)
        number = request.GET.get("p", "")
        number = int(number) if paged and number.isdigit() and len(number) < 7 else 1
        number = str(number) if number > 1 else ""  # ?p=1 and ?p=01 are the first page
        key = whole_key(request, {"p": number} if number else {})
        hit = page_cache.value_read(key)
        if hit is None and page_cache.refresh():
            key = whole_key(request, {"p": number} if number else {})
            hit = page_cache.value_read(key)
        if hit is not None:
            return from_cache(request, *hit)
        building = _render_lock(key)  # single flight, as for the pages
        if building is False:
            hit = _wait_for_whole(key)
            if hit is not None:
                return from_cache(request, *hit)
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            if building:
                cache.delete(_lock_key(key))
            raise

        def store(rendered):
            if rendered.status_code == 200 and not rendered.streaming:
                _store(key, rendered, ("Content-Type", "Last-Modified", "X-Robots-Tag"))
                page_cache.flush()  # now: those waiting for it look for it
            elif building:
                cache.delete(_lock_key(key))

        if callable(getattr(response, "add_post_render_callback", None)):
            response.add_post_render_callback(store)
        else:
            store(response)
        return response

    return wrapped
