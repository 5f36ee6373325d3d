"""Only live languages are served: /be/… reader pages answer 404 while Belarusian
is switched off in the admin (bulletin.Language.is_live). A subscriber's own
newsletter pages (confirm, unsubscribe, preferences) keep working in any language."""

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
