"""After the send, in the admin: each subscriber's bounce and complaint
history, the delivery events, the suppression list, and the bounce mailbox's
state. Nothing here is edited by hand: events are evidence, and a suppressed
address comes back only by subscribing again (double opt-in), which clears its
old state explicitly (newsletter/services.py)."""

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bulletin.admin import ReadOnlyAdmin
from newsletter import mailbox
from newsletter.models import DeliveryEvent, Subscriber, Suppression


class DeliveryEventInline(admin.TabularInline):
    """On a subscriber's page: every bounce, complaint and delivery report."""

    model = DeliveryEvent
    fk_name = "subscriber"
    fields = ("received_at", "kind", "source", "delivery", "description", "effect")
    readonly_fields = fields
    ordering = ("-received_at",)
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = _("bounce and complaint history")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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
                       "complained_at", "unsubscribed_at", "soft_bounces")
    fields = readonly_fields
    inlines = [DeliveryEventInline]

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
