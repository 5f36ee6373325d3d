from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = _("Newsletter")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from bulletin.signals import issue_published
        from newsletter import dispatch

        issue_published.connect(dispatch.on_issue_published, dispatch_uid="newsletter-schedule")

        from bulletin.desk import register_editor_panel
        from newsletter.dispatch_admin import desk_panel

        register_editor_panel("admin/newsletter/_desk_dispatches.html", desk_panel)
