"""Subscribers in the admin: search, filters, CSV import and export, erasure.

Every write goes through newsletter/services.py. The consent record is
read-only here: it is evidence, not something an editor edits. Adding a
subscriber by hand would skip their consent, so "Add" leads to the CSV import,
which either asks each address to confirm or records the editor's statement
of how they consented.
"""

import uuid
import zlib

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from bulletin.admin import ADMIN_CSS, BoundedDatesAdminMixin
from newsletter import (
    csvio,
    deliverability_admin,  # also: events, the suppression list
    dispatch_admin,  # noqa: F401  (issue page panel, dispatches, deliveries)
    services,
)
from newsletter.forms import ImportForm
from newsletter.models import Subscriber

REPORT_CACHE_SECONDS = 3600
PROBLEMS_SHOWN = 500

CONSENT_FIELDS = (
    "consent_at", "consent_source", "consent_ip", "consent_user_agent",
    "consent_text", "consent_version",
)


@admin.register(Subscriber)
class SubscriberAdmin(BoundedDatesAdminMixin, admin.ModelAdmin):
    list_display = ("email", "language", "status", "created_at", "confirmed_at", "consent_source")
    list_filter = ("status", "language", "created_at", "confirmed_at")
    search_fields = ("email",)
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    list_per_page = 100
    show_full_result_count = False  # one COUNT(*) fewer on a big list
    actions = ["export_csv", "erase_data"]
    change_list_template = "admin/newsletter/subscriber/change_list.html"

    class Media:
        css = ADMIN_CSS
    fieldsets = (
        (None, {"fields": ("email", "language", "status")}),
        (gettext_lazy("Dates"), {"fields": (
            "created_at", "confirmation_sent_at", "confirmed_at", "unsubscribed_at",
            "bounced_at", "bounce_reason", "complained_at", "soft_bounces", "updated_at",
        )}),
        (gettext_lazy("Consent"), {"fields": CONSENT_FIELDS}),
        (gettext_lazy("Consent history"), {"fields": ("consent_history",)}),
        (gettext_lazy("Bounce and complaint history"), {"fields": ("bounce_history",)}),
    )
    readonly_fields = (
        "email", "status", "created_at", "confirmation_sent_at", "confirmed_at",
        "unsubscribed_at", "bounced_at", "bounce_reason", "complained_at", "soft_bounces",
        "updated_at", *CONSENT_FIELDS, "consent_history", "bounce_history",
    )

    @admin.display(description=gettext_lazy("bounce and complaint history"))
    def bounce_history(self, obj):
        return deliverability_admin.event_history(obj)

    @admin.display(description=gettext_lazy("Every request to subscribe, newest first"))
    def consent_history(self, obj):
        """Read-only evidence (GDPR Art. 7): shown as a table, not an inline, so
        that no formset is posted with the subscriber's form."""
        rows = format_html_join(
            "", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
            "<td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (record.requested_at, record.confirmed_at or "—", record.language,
                 record.shown_language or "—", record.source, record.ip or "—",
                 record.user_agent, record.version, record.text)
                for record in obj.consents.all()
            ) if obj else (),
        )
        if not rows:
            return "—"
        head = format_html(
            "<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th>"
            "<th>{}</th><th>{}</th><th>{}</th></tr>",
            _("requested"), _("confirmed"), _("language"), _("language the form showed"),
            _("consent source"),
            _("consent IP address"), _("consent user agent"), _("consent text version"),
            _("consent text shown"),
        )
        return format_html("<table>{}{}</table>", head, rows)

    # --- URLs -------------------------------------------------------------------

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(function)

        return [
            path("import/", view(self.import_view), name="newsletter_subscriber_import"),
            path("import/report/<str:key>/", view(self.import_report_view),
                 name="newsletter_subscriber_import_report"),
            path("export/", view(self.export_view), name="newsletter_subscriber_export"),
            *super().get_urls(),
        ]

    # --- changing and deleting through the services --------------------------------

    def add_view(self, request, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:newsletter_subscriber_import"))

    def save_model(self, request, obj, form, change):
        if change and "language" in form.changed_data:
            try:
                services.subscriber_change_language(subscriber_id=obj.pk, language=obj.language)
            except services.SubscriptionError as exc:
                messages.error(request, str(exc))

    def delete_model(self, request, obj):
        services.subscriber_erase(subscriber_ids=[obj.pk], user=request.user)

    def delete_queryset(self, request, queryset):
        services.subscriber_erase(subscriber_ids=list(queryset.values_list("pk", flat=True)),
                       user=request.user)

    def log_deletions(self, request, queryset):
        # Deleting a subscriber is erasing them: the admin history, which would
        # keep their address as the entry's name, records nothing (services.subscriber_erase).
        return []

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # erase_data does it, leaving no trace
        return actions

    # --- actions ---------------------------------------------------------------

    @admin.action(description=gettext_lazy("Export selected subscribers as CSV"),
                  permissions=["view"])
    def export_csv(self, request, queryset):
        return self._csv_response(queryset)

    @admin.action(description=gettext_lazy("Erase selected subscribers' data (on their request)"),
                  permissions=["delete"])
    def erase_data(self, request, queryset):
        if request.POST.get("confirmed") != "yes":
            return TemplateResponse(request, "admin/newsletter/subscriber/erase_confirm.html", {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Erase subscribers' data"),
                "subscribers": queryset[:100],
                "count": queryset.count(),
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
                "select_across": request.POST.get("select_across", "0"),
            })
        count = services.subscriber_erase(
            subscriber_ids=list(queryset.values_list("pk", flat=True)), user=request.user
        )
        self.message_user(request, ngettext(
            "Erased %(count)d subscriber and everything recorded about them.",
            "Erased %(count)d subscribers and everything recorded about them.",
            count,
        ) % {"count": count}, messages.SUCCESS)
        return None

    # --- export ----------------------------------------------------------------

    def _csv_response(self, queryset):
        rows = queryset.order_by("pk").iterator(chunk_size=2000)
        response = StreamingHttpResponse(
            csvio.export_lines(rows), content_type="text/csv; charset=utf-8"
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="subscribers-{stamp}.csv"'
        return response

    def export_view(self, request):
        """The whole changelist as it is filtered and searched, streamed as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(reverse("admin:newsletter_subscriber_changelist"))
        return self._csv_response(changelist.get_queryset(request))

    # --- import ----------------------------------------------------------------

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        report, report_key, status = None, None, 200
        if request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            status = 400
            if form.is_valid():
                data = form.cleaned_data
                upload = data["file"]
                try:
                    report = services.subscriber_import_csv(
                        data=upload.read(),
                        filename=upload.name,
                        user=request.user,
                        default_language=data["default_language"],
                        attested_consent=(
                            data["consent_statement"] if data["already_consented"] else ""
                        ),
                    )
                except csvio.FileRejected as exc:
                    form.add_error("file", str(exc))
                except services.SubscriptionError as exc:
                    form.add_error("default_language", str(exc))
                else:
                    status = 200
                    report_key = self._keep_report(request, report)
                    form = ImportForm()
        else:
            form = ImportForm()
        return TemplateResponse(request, "admin/newsletter/subscriber/import.html", {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import subscribers from CSV"),
            "form": form,
            "report": report,
            "problems_shown": report.problems[:PROBLEMS_SHOWN] if report else [],
            "report_key": report_key,
        }, status=status)

    def _report_cache_key(self, request, key):
        return f"newsletter:import-report:{request.user.pk}:{key}"

    def _keep_report(self, request, report):
        """Keep the full list of bad rows for an hour, for download as CSV."""
        if not report.problems:
            return None
        key = uuid.uuid4().hex
        data = zlib.compress("".join(csvio.problems_lines(report.problems)).encode())
        cache.set(self._report_cache_key(request, key), data, REPORT_CACHE_SECONDS)
        return key

    def import_report_view(self, request, key):
        if not self.has_add_permission(request):
            raise PermissionDenied
        data = cache.get(self._report_cache_key(request, key))
        if data is None:
            raise Http404(_("This report has expired; import the file again to see it."))
        response = HttpResponse(zlib.decompress(data), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="import-problems.csv"'
        return response
