from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_save
from django.utils.translation import gettext_lazy as _


class BulletinConfig(AppConfig):
    name = "bulletin"
    verbose_name = _("Bulletin")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from bulletin import roles, text
        from bulletin.models import Article, Issue, Language, Topic
        from bulletin.pagecache import invalidation

        invalidation.connect((Article, Issue, Language, Topic))
        # No control characters in any stored text of ours (bulletin/text.py).
        pre_save.connect(text.clean_on_save, dispatch_uid="bulletin-clean-text")
        # Keep the Analysts and Editors groups' permissions in step with roles.py
        # after every migrate (permissions of apps migrated later included).
        post_migrate.connect(roles.sync_after_migrate, dispatch_uid="bulletin-roles")
