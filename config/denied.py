"""A refusal inside the admin looks like the admin.

Django answers a `PermissionDenied` with `handler403` and a failed CSRF check
with `CSRF_FAILURE_VIEW`, one view each for the whole site. Both come here and
pick the page by path: under the admin (`reverse("admin:index")`, which
i18n_patterns does not prefix), templates/admin/403.html with the admin's
header, user tools and breadcrumbs, in the admin's language (the
browser's, like every admin page); anywhere else, the reader site's page as
before (templates/403.html, Django's CSRF page).

A 403 is never a 500: the admin's context (the app list, the user's
permissions) needs the database, so it is asked for inside a `try`; when the
admin page cannot be rendered at all, a plain page without request or context
processors answers instead (templates/admin/403_plain.html).
"""

import logging

from django.contrib import admin
from django.http import HttpResponseForbidden
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext
from django.views import csrf, defaults

log = logging.getLogger(__name__)

TEMPLATE = "admin/403.html"
PLAIN_TEMPLATE = "admin/403_plain.html"


def is_admin_path(request) -> bool:
    return request.path.startswith(reverse("admin:index"))


def permission_denied(request, exception=None, template_name=defaults.ERROR_403_TEMPLATE_NAME):
    if not is_admin_path(request):
        return defaults.permission_denied(request, exception, template_name)
    reason = str(exception) if exception is not None and exception.args else ""
    return admin_denied(request, reason)


def csrf_failure(request, reason=""):
    if not is_admin_path(request):
        return csrf.csrf_failure(request, reason)
    # Django's reason is English and for developers; the editor is told what to do.
    return admin_denied(request, gettext(
        "The form had expired or was sent from another page. "
        "Open the page again and repeat what you did."))


def admin_denied(request, reason: str):
    try:
        context = admin.site.each_context(request)
    except Exception:  # the database may be down; the page still answers
        log.warning("admin 403 without the admin's context", exc_info=True)
        context = {"site_header": admin.site.site_header, "site_title": admin.site.site_title,
                   "has_permission": False}
    context.update({"title": gettext("Permission denied"), "reason": reason})
    try:
        body = loader.render_to_string(TEMPLATE, context, request)
    except Exception:
        log.warning("admin 403 rendered plain", exc_info=True)
        body = loader.render_to_string(PLAIN_TEMPLATE, {"reason": reason})
    return HttpResponseForbidden(body)
