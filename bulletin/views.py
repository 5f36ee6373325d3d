"""Reader pages. A view checks its input, then hands the page's builder
(pages.py) to pagecache.responses.serve, which caches the content and renders the shell."""

import re

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_supported_language_variant, override
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from bulletin import languages, pages
from bulletin.models import absolute_url
from bulletin.pagecache.responses import serve

PAGE_NUMBER = re.compile(r"^[0-9]{1,6}$")


def _page_number(request) -> int:
    """?page=N with N a whole number from 1; anything else is a 404."""
    raw = request.GET.get("page", "") or "1"
    if not PAGE_NUMBER.match(raw) or int(raw) < 1:
        raise Http404
    return int(raw)


def _accepted(request):
    """The site's languages the browser asks for, most wanted first."""
    header = request.headers.get("Accept-Language", "")[:1000]
    for tag, _quality in parse_accept_lang_header(header):
        try:
            yield get_supported_language_variant(tag)
        except LookupError:
            continue


@require_safe
@vary_on_headers("Accept-Language", "Cookie")
def language_redirect(request):
    """/ → /en/, /be/ or /ru/: the language the reader last read in (the
    cookie), if it is live; else the best live match in Accept-Language
    (regional variants such as ru-RU included); else English."""
    live = languages.codes()
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if language not in live:
        language = next(
            (code for code in _accepted(request) if code in live), settings.LANGUAGE_CODE
        )
    with override(language):
        url = reverse("bulletin:home")
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{url}?{query}" if query else url)


@require_safe
def home(request):
    return serve(request, pages.home)


def _page_param(number: int) -> dict[str, str]:
    # Page 1 is the page without ?page=, so that both share one cache entry
    # (and any other query string a reader adds shares it too).
    return {"page": str(number)} if number > 1 else {}


@require_safe
def archive(request):
    number = _page_number(request)
    return serve(request, lambda: pages.archive(number), params=_page_param(number))


@require_safe
def topics(request):
    return serve(request, pages.topics)


@require_safe
def issue_detail(request, number):
    untranslated = request.GET.get("untranslated")
    # The note for a link to an untranslated article is rendered per request:
    # its values are any slug, and each would otherwise be a cache entry.
    return serve(
        request,
        lambda: pages.issue(
            number,
            preview_allowed=pages.may_preview(request.user, "issue"),
            untranslated=untranslated,
        ),
        cacheable=untranslated is None,
    )


@require_safe
def article_detail(request, number, slug):
    return serve(
        request,
        lambda: pages.article(
            number, slug, preview_allowed=pages.may_preview(request.user, "article")
        ),
    )


@require_safe
def topic_detail(request, slug):
    number = _page_number(request)
    return serve(request, lambda: pages.topic(slug, number), params=_page_param(number))


@require_safe
def author_detail(request, slug):
    number = _page_number(request)
    return serve(request, lambda: pages.author(slug, number), params={"page": str(number)})


@require_safe
def search(request):
    number = _page_number(request)
    return serve(
        request, lambda: pages.search(request.GET.get("q"), number), cacheable=False
    )


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        *(f"Disallow: /{code}/search/" for code in languages.codes()),
        "",
        f"Sitemap: {absolute_url(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: the site's icon."""
    return redirect(static("bulletin/favicon.svg"), permanent=True)


@require_safe
def media_file(request, path):
    """An uploaded image from the file-system storage (the embedded default and a
    compose volume); 404 for anything that is not one (or under object storage)."""
    from django.views.static import serve as serve_file

    if "storages" in settings.STORAGES["default"]["BACKEND"] or ".." in path:
        raise Http404
    response = serve_file(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
