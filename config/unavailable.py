"""A database outage answers 503, never 500.

When PostgreSQL cannot be reached, a reader page that is in the page cache is
still served (bulletin.pagecache.middleware needs no database; the
copy is at most PAGE_CACHE_SECONDS old). Every other request gets a short
page in the visitor's language, status 503 and `Retry-After`, so that
browsers, crawlers and load balancers come back instead of recording an
error. Two ways in, because Django turns an exception into a response at each
middleware layer: `DatabaseUnavailableMiddleware.process_exception` for an
error raised by a view (in DEBUG too), and `server_error` (handler500) for
one raised anywhere else, a middleware or a template.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views import defaults

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
TEMPLATE = "503.html"


def is_outage(exc: BaseException | None) -> bool:
    """The database could not be reached or gave up (connection refused or lost,
    a timeout): temporary, worth a retry. A bad query is a bug, and stays a 500."""
    for _depth in range(5):
        if exc is None:
            return False
        if isinstance(exc, (OperationalError, InterfaceError)):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def unavailable(request):
    """The 503 page: no query, no context processor (templates/503.html)."""
    response = HttpResponse(loader.get_template(TEMPLATE).render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    if is_outage(sys.exc_info()[1]):
        return unavailable(request)
    return defaults.server_error(request, template_name)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_outage(exception):
            return None
        log.warning("database unreachable: %s %s answered 503: %s",
                    request.method, request.path, exception)
        return unavailable(request)
