"""The newsletter in the editors' admin.

The issue page gets a newsletter panel (per language: recipients, sent,
failed, pending, a progress bar; preview, test, send now, pause, resume,
cancel, retry), and dispatches and failed deliveries get their own lists.
Every button calls newsletter.dispatch.controls, which checks the permission again.
"""

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bulletin.admin import IssueAdmin, ReadOnlyAdmin
from bulletin.models import Issue
from newsletter import sending
from newsletter.dispatch import content, controls, reports
from newsletter.dispatch.rules import SEND_PERMISSION, DispatchError
from newsletter.models import Delivery, Dispatch

VIEW_PERMISSION = "newsletter.view_dispatch"

ACTIONS = {
    "send_now": controls.send_now,
    "pause": controls.pause,
    "resume": controls.resume,
    "cancel": controls.cancel,
    "retry": controls.retry_failed,
}


class IssueWithNewsletterAdmin(IssueAdmin):
    change_form_template = "admin/newsletter/issue_change_form.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:issue_id>/newsletter/<str:language>/preview/", view(self.preview_view),
                 name="newsletter_preview"),
            path("<int:issue_id>/newsletter/<str:language>/<str:action>/",
                 view(self.newsletter_action_view), name="newsletter_action"),
            path("<int:issue_id>/newsletter/progress/", view(self.progress_view),
                 name="newsletter_progress"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        issue = self.get_object(request, object_id)
        if issue is not None and request.user.has_perm(VIEW_PERMISSION):
            rows = reports.progress(issue)
            extra_context.update(
                newsletter_rows=rows,
                newsletter_sending=any(
                    r["dispatch"] and r["dispatch"].status == Dispatch.Status.SENDING for r in rows
                ),
                may_send=request.user.has_perm(SEND_PERMISSION),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def _issue(self, request, issue_id, language=None):
        if not request.user.has_perm(VIEW_PERMISSION):
            raise PermissionDenied
        issue = get_object_or_404(Issue, pk=issue_id)
        if language is not None and language not in dict(settings.LANGUAGES):
            raise PermissionDenied
        return issue

    # The email's CSS is inlined into style attributes: this page allows inline styles.
    @csp_update({"style-src": "'unsafe-inline'"})
    def preview_view(self, request, issue_id, language):
        """The email as subscribers of `language` will see it (works before publishing)."""
        issue = self._issue(request, issue_id, language)
        rendered = content.render_issue_email(issue, language, preview=True)
        parts = dict.fromkeys(sending.MARKERS, "#")
        return HttpResponse(sending.fill(rendered.html, parts))

    def progress_view(self, request, issue_id):
        issue = self._issue(request, issue_id)
        return JsonResponse({
            row["language"]: {
                "status": row["dispatch"].status if row["dispatch"] else None,
                "recipients": row["recipients"],
                "percent": row["percent"],
                **row["counts"],
            }
            for row in reports.progress(issue)
        })

    def newsletter_action_view(self, request, issue_id, language, action):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        issue = self._issue(request, issue_id, language)
        back = reverse("admin:bulletin_issue_change", args=[issue.pk]) + "#newsletter"
        try:
            if action == "test":
                controls.send_test(issue=issue, language=language, user=request.user)
                messages.success(request, gettext("Test email sent to %(email)s.")
                                 % {"email": request.user.email})
            elif action == "schedule":
                controls.schedule(issue=issue, user=request.user)
                messages.success(request, gettext("Newsletter scheduled."))
            elif action in ACTIONS:
                dispatch = get_object_or_404(Dispatch, issue=issue, language=language)
                result = ACTIONS[action](dispatch=dispatch, user=request.user)
                if action == "retry":
                    messages.success(request, gettext("%(count)d failed deliveries queued again.")
                                     % {"count": result})
                else:
                    messages.success(request, gettext("Done."))
            else:
                raise PermissionDenied
        except DispatchError as exc:
            messages.error(request, str(exc))
        return HttpResponseRedirect(back)


admin.site.unregister(Issue)
admin.site.register(Issue, IssueWithNewsletterAdmin)


@admin.register(Dispatch)
class DispatchAdmin(admin.ModelAdmin):
    list_display = ("issue", "language", "status", "scheduled_for", "started_at", "finished_at",
                    "recipients", "sent", "failed", "pending")
    list_filter = ("status", "language")
    list_select_related = ("issue",)
    readonly_fields = [f.name for f in Dispatch._meta.fields if f.name not in ("body_html",)]
    exclude = ("body_html", "body_text")
    actions = ["pause_selected", "resume_selected", "cancel_selected", "retry_selected"]

    def get_queryset(self, request):
        counts = {
            name: Count("deliveries", filter=Q(deliveries__status=status))
            for name, status in (("_sent", "sent"), ("_failed", "failed"),
                                 ("_pending", "pending"))
        }
        return super().get_queryset(request).annotate(**counts)

    @admin.display(description=_("sent"), ordering="_sent")
    def sent(self, obj):
        return obj._sent

    @admin.display(description=_("failed"), ordering="_failed")
    def failed(self, obj):
        return obj._failed

    @admin.display(description=_("pending"), ordering="_pending")
    def pending(self, obj):
        return obj._pending

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_send_permission(self, request):
        return request.user.has_perm(SEND_PERMISSION)

    def _run(self, request, queryset, action):
        for dispatch in queryset:
            try:
                ACTIONS[action](dispatch=dispatch, user=request.user)
            except DispatchError as exc:
                messages.error(request, f"{dispatch}: {exc}")
            else:
                messages.success(request, f"{dispatch}: {gettext('Done.')}")

    @admin.action(description=_("Pause selected dispatches"), permissions=["send"])
    def pause_selected(self, request, queryset):
        self._run(request, queryset, "pause")

    @admin.action(description=_("Resume selected dispatches"), permissions=["send"])
    def resume_selected(self, request, queryset):
        self._run(request, queryset, "resume")

    @admin.action(description=_("Cancel selected dispatches"), permissions=["send"])
    def cancel_selected(self, request, queryset):
        self._run(request, queryset, "cancel")

    @admin.action(description=_("Retry failed deliveries"), permissions=["send"])
    def retry_selected(self, request, queryset):
        self._run(request, queryset, "retry")


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("subscriber", "dispatch", "status", "attempts", "sent_at", "last_error")
    list_filter = ("status", "dispatch__language", "dispatch__issue")
    list_select_related = ("subscriber", "dispatch__issue")
    search_fields = ("subscriber__email", "message_id")
    readonly_fields = [f.name for f in Delivery._meta.fields]
