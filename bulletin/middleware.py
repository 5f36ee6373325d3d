"""Only live languages are served: /be/… reader pages answer 404 while Belarusian
is switched off in the admin (bulletin.Language.is_live). A subscriber's own
newsletter pages (confirm, unsubscribe, preferences) keep working in any language.

The site remembers the reader's language: a page read in a language (the
language switch leads to one) sets the language cookie, which `/` then follows
(views.language_redirect)."""

from django.conf import settings
from django.http import Http404
from django.utils.translation import get_language_from_path

from bulletin import languages
from bulletin.pagecache import generation as page_cache


class LiveLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The cache generation and the site's languages are read once per request.
        with page_cache.request_memo():
            return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        code = get_language_from_path(request.path_info)
        match = request.resolver_match
        if match is not None and match.namespace == "newsletter":
            return None
        if code and code not in languages.codes():
            raise Http404("This language is not live on the site.")
        return None


class LanguageCookieMiddleware:
    """Set the language cookie to the language of the reader page just served
    (not the newsletter's pages),
    when it says otherwise. The value is the page's own language, the same for
    every visitor of that URL, so a cached page may carry it. A garbage cookie
    is ignored by Django and replaced here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        code = get_language_from_path(request.path_info)
        # Reader pages only: the newsletter's pages set no cookie at all.
        if code and request.path_info.startswith(f"/{code}/newsletter/"):
            return response
        if code and code in languages.codes() and (
            request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != code
        ):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, code,
                max_age=settings.LANGUAGE_COOKIE_AGE, path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN, secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
