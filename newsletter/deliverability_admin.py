"""After the send, in the admin: each subscriber's bounce and complaint
history, the delivery events, the suppression list, and the bounce mailbox's
state. Nothing here is edited by hand: events are evidence, and a suppressed
address comes back only by subscribing again (double opt-in), which clears its
old state explicitly (newsletter/services.py)."""

from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bulletin.admin import ReadOnlyAdmin
from newsletter import mailbox
from newsletter.models import DeliveryEvent, Subscriber, Suppression


def event_history(subscriber):
    """On a subscriber's page: every bounce, complaint and delivery report, newest
    first, as a read-only table (not an inline: no formset is posted with the
    subscriber's form, so saving it never trips over a management form)."""
    rows = format_html_join(
        "", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (event.received_at, event.get_kind_display(), event.source,
             event.delivery or "—", event.description, event.effect)
            for event in subscriber.events.select_related("delivery__dispatch__issue")
            .order_by("-received_at")
        ) if subscriber and subscriber.pk else (),
    )
    if not rows:
        return "—"
    head = format_html(
        "<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        _("received"), _("kind"), _("source"), _("delivery"), _("description"), _("effect"),
    )
    return format_html("<table>{}{}</table>", head, rows)


@admin.register(DeliveryEvent)
class DeliveryEventAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "kind", "source", "subscriber", "recipient", "delivery",
                    "effect")
    list_filter = ("kind", "source", "received_at")
    list_select_related = ("subscriber", "delivery__dispatch__issue")
    search_fields = ("subscriber__email", "recipient", "event_id")
    readonly_fields = [f.name for f in DeliveryEvent._meta.fields]
    show_full_result_count = False

    def changelist_view(self, request, extra_context=None):
        _warn_about_mailbox(request)
        return super().changelist_view(request, extra_context)


@admin.register(Suppression)
class SuppressionAdmin(ReadOnlyAdmin):
    """Addresses no newsletter goes to: bounced, complained or unsubscribed."""

    list_display = ("email", "language", "status", "reason", "since")
    list_filter = ("status", "language")
    search_fields = ("email",)
    ordering = ("-updated_at",)
    list_per_page = 100
    show_full_result_count = False
    readonly_fields = ("email", "language", "status", "bounced_at", "bounce_reason",
                       "complained_at", "unsubscribed_at", "soft_bounces", "bounce_history")
    fields = readonly_fields

    @admin.display(description=_("bounce and complaint history"))
    def bounce_history(self, obj):
        return event_history(obj)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(
            status__in=[Subscriber.Status.BOUNCED, Subscriber.Status.UNSUBSCRIBED]
        )

    @admin.display(description=_("reason"))
    def reason(self, obj):
        if obj.complained_at:
            return gettext("spam complaint")
        if obj.status == Subscriber.Status.BOUNCED:
            return obj.bounce_reason[:120]
        return gettext("unsubscribed")

    @admin.display(description=_("since"))
    def since(self, obj):
        return obj.complained_at or obj.bounced_at or obj.unsubscribed_at

    def changelist_view(self, request, extra_context=None):
        _warn_about_mailbox(request)
        return super().changelist_view(request, extra_context)


def _warn_about_mailbox(request):
    status = mailbox.mailbox_status()
    if status and not status.get("ok"):
        messages.warning(request, gettext(
            "The bounce mailbox could not be read (%(error)s); last read %(last)s. "
            "Bounces that arrive by email are waiting there.") % {
            "error": status.get("error", ""), "last": status.get("last_ok_at") or gettext("never")})
