from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = _("Newsletter")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from bulletin.signals import issue_published
        from newsletter.dispatch import scheduling

        issue_published.connect(scheduling.on_issue_published, dispatch_uid="newsletter-schedule")
