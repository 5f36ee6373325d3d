from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class BulletinConfig(AppConfig):
    name = "bulletin"
    verbose_name = _("Bulletin")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from bulletin import cache, roles
        from bulletin.models import Article, Issue, Language, Topic
        from config.cache import cache_recovered

        def invalidate_pages(**kwargs):
            # Now, and again once the change is committed: a reader request
            # between the two would otherwise cache the old content under the
            # new generation.
            cache.invalidate()
            transaction.on_commit(cache.invalidate)

        for model in (Article, Issue, Language, Topic):
            post_save.connect(
                invalidate_pages, sender=model, dispatch_uid=f"pages-{model.__name__}"
            )
            post_delete.connect(
                invalidate_pages, sender=model, dispatch_uid=f"pages-del-{model.__name__}"
            )
        # Writes made while the cache was unreachable were lost, an invalidation
        # among them: once it answers again, nothing cached before may be served.
        cache_recovered.connect(
            lambda **kwargs: cache.invalidate(), dispatch_uid="pages-cache-recovered", weak=False
        )
        # Keep the Analysts and Editors groups' permissions in step with roles.py
        # after every migrate (permissions of apps migrated later included).
        post_migrate.connect(roles.sync_after_migrate, dispatch_uid="bulletin-roles")
