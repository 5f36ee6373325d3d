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
        from bulletin.signals import issue_published
        from newsletter.dispatch import scheduling

        issue_published.connect(scheduling.on_issue_published, dispatch_uid="newsletter-schedule")
