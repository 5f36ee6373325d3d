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
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from bulletin.admin import IssuePanel, ReadOnlyAdmin, overdue_badge, register_issue_panel
from bulletin.errors import UserError
from bulletin.models import Issue
from newsletter import sending
from newsletter.dispatch import content, controls, reports, scheduling
from newsletter.dispatch.rules import SEND_PERMISSION
from newsletter.languages import newsletter_language_codes
from newsletter.models import Delivery, Dispatch, Subscriber

VIEW_PERMISSION = "newsletter.view_dispatch"

ACTIONS = {
    "send_now": controls.dispatch_send_now,
    "pause": controls.dispatch_pause,
    "resume": controls.dispatch_resume,
    "cancel": controls.dispatch_cancel,
    "retry": controls.dispatch_retry_failed,
    "resend": controls.dispatch_resend,
}
# What sends or stops mail asks first (a crafted POST without confirmed=1 too).
CONFIRM = {
    "send_now": _("Yes, send it now"),
    "cancel": _("Yes, cancel it"),
    "resend": _("Yes, send it to those who did not get it"),
    "resume": _("Yes, resume sending"),
}


# The states in which each confirmed action would do something; elsewhere it
# runs at once and its control says why it cannot.
CONFIRM_WHEN = {
    "send_now": {Dispatch.Status.SCHEDULED, Dispatch.Status.PAUSED},
    "cancel": {Dispatch.Status.SCHEDULED, Dispatch.Status.SENDING, Dispatch.Status.PAUSED},
    "resend": {Dispatch.Status.CANCELLED},
    "resume": {Dispatch.Status.PAUSED},
}


def needs_confirmation(request, dispatches, action) -> bool:
    return (action in CONFIRM and request.POST.get("confirmed") != "1"
            and any(d.status in CONFIRM_WHEN[action] for d in dispatches))


def dispatch_confirmation_lines(dispatch, action) -> list[str]:
    """What `action` on `dispatch` will do, in numbers, and its stale translations."""
    name = dict(settings.LANGUAGES)[dispatch.language]
    counts = dict(dispatch.deliveries.values_list("status").annotate(n=Count("pk")))
    sent = counts.get(Delivery.Status.SENT, 0)
    if dispatch.started_at is None:
        waiting = Subscriber.objects.confirmed().filter(language=dispatch.language).count()
    elif action == "resend":
        waiting = dispatch.deliveries.filter(
            status=Delivery.Status.SKIPPED, last_error=controls.CANCELLED_DELIVERY).count()
    else:
        waiting = counts.get(Delivery.Status.PENDING, 0) + counts.get(Delivery.Status.SENDING, 0)
    values = {"language": name, "number": dispatch.issue.number, "count": waiting, "sent": sent}
    if action == "cancel":
        lines = [gettext("The %(language)s newsletter of issue %(number)s stops: %(count)d "
                         "recipient(s) not sent to yet will not get it (%(sent)d already "
                         "did).") % values]
    else:
        lines = [gettext("The %(language)s newsletter of issue %(number)s goes out now to "
                         "%(count)d recipient(s) (%(sent)d already got it).") % values]
        stale = [str(a) for a in content.stale_articles(dispatch.issue, dispatch.language)]
        if stale:
            lines.append(gettext("Warning: stale translations (the source changed after "
                                 "them): %(titles)s.") % {"titles": "; ".join(stale)})
    return lines


# The issue page's buttons, in order: (control, label, extra CSS class). Which of
# them a row shows is rules.buttons(), the rules the controls check.
BUTTONS = [
    ("send_now", _("Send now"), "default"),
    ("pause", _("Pause"), ""),
    ("resume", _("Resume"), "default"),
    ("cancel", _("Cancel"), ""),
    ("retry", _("Retry failed"), ""),
    ("resend", _("Re-send to those who did not get it"), ""),
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

    def confirmation_lines(self, request, obj, action):
        """Publishing also says who gets the newsletter, in which language, when."""
        lines = []
        if action != "publish":
            return lines
        confirmed = dict(
            Subscriber.objects.confirmed().values_list("language").annotate(n=Count("pk"))
        )
        now = request.POST.get("send_now") == "1"
        when = gettext("now") if now else date_format(
            timezone.localtime(scheduling.next_send_time()), "DATETIME_FORMAT")
        with_articles = content.languages_with_articles(obj, preview=True)
        names = dict(settings.LANGUAGES)
        for code in newsletter_language_codes():
            name = names[code]
            if code not in with_articles:
                lines.append(gettext("Newsletter in %(language)s: none, the issue has no article "
                                     "in it.") % {"language": name})
                continue
            lines.append(gettext("Newsletter in %(language)s: %(count)d recipient(s), %(when)s.")
                         % {"language": name, "count": confirmed.get(code, 0), "when": when})
        return lines

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

    def _confirm(self, request, lines, replay, label, back):
        return TemplateResponse(request, "admin/bulletin/confirm.html", {
            **admin.site.each_context(request), "opts": Issue._meta,
            "title": gettext("Are you sure?"), "lines": [line for _d, line in lines],
            "post_url": request.path, "replay": replay, "confirm_label": label,
            "change_url": back,
        })

    def newsletter_action_view(self, request, issue_id, language, action):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        issue = self._issue(request, issue_id, language)
        back = reverse("admin:bulletin_issue_change", args=[issue.pk]) + "#newsletter"
        try:
            if action == "test":
                controls.dispatch_send_test(issue=issue, language=language, user=request.user)
                messages.success(request, gettext("Test email sent to %(email)s.")
                                 % {"email": request.user.email})
            elif action == "schedule":
                controls.dispatch_schedule(issue=issue, user=request.user)
                messages.success(request, gettext("Newsletter scheduled."))
            elif action in ACTIONS:
                dispatch = get_object_or_404(Dispatch, issue=issue, language=language)
                if needs_confirmation(request, [dispatch], action):
                    if not request.user.has_perm(SEND_PERMISSION):
                        raise PermissionDenied
                    return self._confirm(request, [(str(dispatch), line) for line in
                                                   dispatch_confirmation_lines(dispatch, action)],
                                         [("confirmed", "1")], CONFIRM[action], back)
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


class DispatchChangeList(ChangeList):
    """The page's dispatches with their counts: stored ones for the settled,
    counted live only for the running (reports.dispatch_counts)."""

    def get_results(self, request):
        super().get_results(request)
        counts = reports.dispatch_counts(self.result_list)
        for dispatch in self.result_list:
            dispatch.tally = counts[dispatch.pk]


def _count_column(name: str, header):
    """A column of the dispatch list: one count of its deliveries (counted live
    for a running dispatch by DispatchChangeList, else the stored `<name>_count`)."""
    @admin.display(description=header)
    def column(self, obj):
        return obj.tally[name] if hasattr(obj, "tally") else getattr(obj, f"{name}_count", 0)
    column.__name__ = name
    return column


@admin.register(Dispatch)
class DispatchAdmin(admin.ModelAdmin):
    # Short headers (the "dispatch list" context): thirteen columns fit 1280 px.
    list_display = ("issue", "language", "status_badge", "scheduled_for", "started_at",
                    "finished_at", "recipient_count", "sent", "delivered", "bounced", "complained",
                    "failed", "pending")
    list_filter = ("status", "language")
    list_select_related = ("issue",)
    readonly_fields = [
        "status_badge",
        *(f.name for f in Dispatch._meta.fields if f.name not in ("body_html", "status")),
    ]
    exclude = ("body_html", "body_text")
    actions = ["pause_selected", "resume_selected", "cancel_selected", "retry_selected"]

    def get_changelist(self, request, **kwargs):
        return DispatchChangeList

    @admin.display(description=pgettext_lazy("dispatch list", "recipients"),
                   ordering="recipients")
    def recipient_count(self, obj):
        return obj.recipients

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return overdue_badge(obj.get_status_display(), obj.status, obj.is_overdue)

    sent = _count_column("sent", pgettext_lazy("dispatch list", "sent"))
    delivered = _count_column("delivered", pgettext_lazy("dispatch list", "delivered"))
    bounced = _count_column("bounced", pgettext_lazy("dispatch list", "bounced"))
    complained = _count_column("complained", pgettext_lazy("dispatch list", "complained"))
    failed = _count_column("failed", pgettext_lazy("dispatch list", "failed"))
    pending = _count_column("pending", pgettext_lazy("dispatch list", "pending"))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_send_permission(self, request):
        return request.user.has_perm(SEND_PERMISSION)

    def _run(self, request, queryset, action):
        if needs_confirmation(request, queryset, action):
            return TemplateResponse(request, "admin/bulletin/confirm.html", {
                **self.admin_site.each_context(request), "opts": self.opts,
                "title": gettext("Are you sure?"),
                "lines": [f"{dispatch}: {line}" for dispatch in queryset.select_related("issue")
                          for line in dispatch_confirmation_lines(dispatch, action)],
                "post_url": request.get_full_path(),
                "replay": [("action", request.POST["action"]), ("confirmed", "1"),
                           *(("_selected_action", pk) for pk in
                             request.POST.getlist("_selected_action"))],
                "confirm_label": CONFIRM[action],
                "change_url": reverse("admin:newsletter_dispatch_changelist"),
            })
        for dispatch in queryset:
            try:
                ACTIONS[action](dispatch=dispatch, user=request.user)
            except UserError as exc:
                messages.error(request, f"{dispatch}: {exc}")
            else:
                messages.success(request, f"{dispatch}: {gettext('Done.')}")

    def _bulk_action(action, description):
        """An admin action running the control `action` on each selected dispatch
        (those in CONFIRM ask first: _run returns the confirmation page)."""
        def run(self, request, queryset):
            return self._run(request, queryset, action)

        run.__name__ = f"{action}_selected"
        return admin.action(description=description, permissions=["send"])(run)

    pause_selected = _bulk_action("pause", _("Pause selected dispatches"))
    resume_selected = _bulk_action("resume", _("Resume selected dispatches"))
    cancel_selected = _bulk_action("cancel", _("Cancel selected dispatches"))
    retry_selected = _bulk_action("retry", _("Retry failed deliveries"))
    del _bulk_action

    class Media:
        css = {"all": ("bulletin/admin.css",)}


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("subscriber", "dispatch", "status", "attempts", "sent_at", "last_error")
    list_filter = ("status", "dispatch__language", "dispatch__issue")
    list_select_related = ("subscriber", "dispatch__issue")
    search_fields = ("subscriber__email", "message_id")
    readonly_fields = [f.name for f in Delivery._meta.fields]
    # The ledger holds millions of rows: no COUNT(*) of all of them on every
    # page, and an order its (dispatch, subscriber) index gives without a sort,
    # the latest send first (bench/part_ledger.py).
    show_full_result_count = False
    ordering = ("-dispatch_id", "-subscriber_id")


def desk_panel(request):
    """The editor's desk: sends in progress or paused (bulletin.desk shows it)."""
    if not request.user.has_perm("newsletter.view_dispatch"):
        return None
    return {"dispatches": Dispatch.objects.filter(
        status__in=[Dispatch.Status.SENDING, Dispatch.Status.PAUSED]
    ).select_related("issue").order_by("scheduled_for")[:20]}
