"""The newsletter in the editors' admin.

The issue page gets a newsletter panel through bulletin's hook
(bulletin.admin.register_issue_panel; IssueAdmin stays bulletin's): per
language recipients, sent, failed, pending, a progress bar; preview, test,
send now, pause, resume, cancel, retry. Dispatches and failed deliveries get
their own lists.
Every button calls newsletter.dispatch.controls, which checks the permission again.
"""

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bulletin.admin import IssuePanel, ReadOnlyAdmin, register_issue_panel
from bulletin.errors import UserError
from bulletin.models import Issue
from newsletter import sending
from newsletter.dispatch import content, controls, reports
from newsletter.dispatch.rules import SEND_PERMISSION
from newsletter.models import Delivery, DeliveryEvent, Dispatch

VIEW_PERMISSION = "newsletter.view_dispatch"

ACTIONS = {
    "send_now": controls.send_now,
    "pause": controls.pause,
    "resume": controls.resume,
    "cancel": controls.cancel,
    "retry": controls.retry_failed,
}


# The issue page's buttons, in order: (control, label, extra CSS class). Which of
# them a row shows is rules.buttons(), the rules the controls check.
BUTTONS = [
    ("send_now", _("Send now"), "default"),
    ("pause", _("Pause"), ""),
    ("resume", _("Resume"), "default"),
    ("cancel", _("Cancel"), ""),
    ("retry", _("Retry failed"), ""),
]


class NewsletterPanel(IssuePanel):
    """The newsletter panel of the issue page, added through bulletin's hook."""

    template = "admin/newsletter/issue_panel.html"

    def urls(self, view):
        return [
            path("<int:issue_id>/newsletter/<str:language>/preview/", view(self.preview_view),
                 name="newsletter_preview"),
            path("<int:issue_id>/newsletter/<str:language>/<str:action>/",
                 view(self.newsletter_action_view), name="newsletter_action"),
            path("<int:issue_id>/newsletter/progress/", view(self.progress_view),
                 name="newsletter_progress"),
        ]

    def context(self, request, issue):
        if not request.user.has_perm(VIEW_PERMISSION):
            return {}
        rows = reports.progress(issue)
        for row in rows:
            row["controls"] = [button for button in BUTTONS if button[0] in row["buttons"]]
        return {
            "newsletter_rows": rows,
            "newsletter_sending": any(
                r["dispatch"] and r["dispatch"].status == Dispatch.Status.SENDING for r in rows
            ),
            "may_send": request.user.has_perm(SEND_PERMISSION),
        }

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
        except UserError as exc:
            messages.error(request, str(exc))
        return HttpResponseRedirect(back)


register_issue_panel(NewsletterPanel())


@admin.register(Dispatch)
class DispatchAdmin(admin.ModelAdmin):
    list_display = ("issue", "language", "status", "scheduled_for", "started_at", "finished_at",
                    "recipients", "sent", "delivered", "bounced", "complained", "failed",
                    "pending")
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
        # Events per dispatch as subqueries: joined with the deliveries above,
        # each delivery's events would multiply the counts.
        for name, kind in (("_bounced", DeliveryEvent.Kind.BOUNCED),
                           ("_complained", DeliveryEvent.Kind.COMPLAINED)):
            counts[name] = Coalesce(Subquery(
                DeliveryEvent.objects.filter(delivery__dispatch=OuterRef("pk"), kind=kind)
                .order_by().values("delivery__dispatch")
                .annotate(n=Count("delivery", distinct=True)).values("n")[:1]
            ), 0)
        counts["_delivered"] = Count("deliveries", filter=Q(deliveries__delivered_at__isnull=False))
        return super().get_queryset(request).annotate(**counts)

    @admin.display(description=_("delivered"), ordering="_delivered")
    def delivered(self, obj):
        return obj._delivered

    @admin.display(description=_("bounced"), ordering="_bounced")
    def bounced(self, obj):
        return obj._bounced

    @admin.display(description=_("complained"), ordering="_complained")
    def complained(self, obj):
        return obj._complained

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
            except UserError as exc:
                messages.error(request, f"{dispatch}: {exc}")
            else:
                messages.success(request, f"{dispatch}: {gettext('Done.')}")

    def _bulk_action(action, description):
        """An admin action running the control `action` on each selected dispatch."""
        def run(self, request, queryset):
            self._run(request, queryset, action)

        run.__name__ = f"{action}_selected"
        return admin.action(description=description, permissions=["send"])(run)

    pause_selected = _bulk_action("pause", _("Pause selected dispatches"))
    resume_selected = _bulk_action("resume", _("Resume selected dispatches"))
    cancel_selected = _bulk_action("cancel", _("Cancel selected dispatches"))
    retry_selected = _bulk_action("retry", _("Retry failed deliveries"))
    del _bulk_action


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("subscriber", "dispatch", "status", "attempts", "sent_at", "last_error")
    list_filter = ("status", "dispatch__language", "dispatch__issue")
    list_select_related = ("subscriber", "dispatch__issue")
    search_fields = ("subscriber__email", "message_id")
    readonly_fields = [f.name for f in Delivery._meta.fields]
