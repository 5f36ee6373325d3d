from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = _("Newsletter")
    default_auto_field = "django.db.models.BigAutoField"
    # Added to bulletin's editorial roles (bulletin/roles.py); analysts get none.
    role_permissions = {
        "Editors": [
            "newsletter.view_subscriber",
            "newsletter.add_subscriber",
            "newsletter.change_subscriber",
            "newsletter.delete_subscriber",
            "newsletter.view_consentrecord",
            "newsletter.view_dispatch",
            "newsletter.change_dispatch",
            "newsletter.send_newsletter",
            "newsletter.view_delivery",
            "newsletter.view_deliveryevent",
            "newsletter.view_suppression",
        ],
    }

    def load_demo(self):
        """The newsletter's step of `manage.py load_demo`: demo subscribers."""
        from newsletter.demo import subscribers_load

        subscribers_load()

    def ready(self):
        from bulletin.admin import register_editor_panel
        from bulletin.signals import article_moved, issue_published
        from newsletter import staff_notices
        from newsletter.dispatch import scheduling
        from newsletter.dispatch_admin import desk_panel

        issue_published.connect(scheduling.on_issue_published, dispatch_uid="newsletter-schedule")
        article_moved.connect(staff_notices.on_article_moved, dispatch_uid="staff-notices")
        register_editor_panel("admin/newsletter/_desk_dispatches.html", desk_panel)
