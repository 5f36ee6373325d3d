from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BulletinConfig(AppConfig):
    name = "bulletin"
    verbose_name = _("Bulletin")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from bulletin import roles
        from bulletin.models import Article, Issue, Language, Topic
        from bulletin.pagecache import invalidation

        invalidation.connect((Article, Issue, Language, Topic))
        # Keep the Analysts and Editors groups' permissions in step with roles.py
        # after every migrate (permissions of apps migrated later included).
        post_migrate.connect(roles.sync_after_migrate, dispatch_uid="bulletin-roles")
