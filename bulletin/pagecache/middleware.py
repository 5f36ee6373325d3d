"""PageCacheMiddleware: a shared reader page answered from the page cache
before URL resolution, sessions, CSRF and the view."""

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language_from_path

from bulletin import languages
from bulletin.pagecache import generation as page_cache
from bulletin.pagecache.responses import content_key, from_cache, whole_key

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
        if language is None or page_cache.bypassed():
            return None  # not a reader page
        request.get_host()  # a Host not in ALLOWED_HOSTS is a 400 here too (DisallowedHost)
        whole = whole_key(request, {})
        if not page_cache.held(whole):
            # One round trip for what this request may read: the whole page, its
            # content (for the view, on a miss) and the site's languages. A page
            # this process holds needs none of it.
            page_cache.prefetch([whole, content_key(request, {}), languages.cache_key()])
        if language not in languages.codes():
            return None  # a language that is not live
        hit = page_cache.value_read(whole)
        if hit is None:
            return None
        response = from_cache(request, *hit)
        # As on the view's path, where reading the session adds it.
        patch_vary_headers(response, ("Cookie",))
        return response
