from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_save
from django.utils.translation import gettext_lazy as _


class BulletinConfig(AppConfig):
    name = "bulletin"
    verbose_name = _("Bulletin")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from bulletin import roles, search, text
        from bulletin.models import Article, Author, Issue, Language, Topic
        from bulletin.pagecache import invalidation

        invalidation.connect((Article, Author, Issue, Language, Topic))
        # No control characters in any stored text of ours (bulletin/text.py).
        pre_save.connect(text.clean_on_save, dispatch_uid="bulletin-clean-text")
        # Keep the Analysts and Editors groups' permissions in step with roles.py
        # after every migrate (permissions of apps migrated later included).
        post_migrate.connect(roles.sync_after_migrate, dispatch_uid="bulletin-roles")

        # SQLite: the search index's triggers call a function of ours on every
        # connection; after every migrate the index and its triggers exist.
        def register_search_function(sender, connection, **kwargs):
            if connection.vendor == "sqlite":
                search.sqlite_register(connection.connection)

        connection_created.connect(register_search_function, dispatch_uid="bulletin-fts")
        post_migrate.connect(
            lambda using="default", **kwargs: search.sqlite_index_ensure(using),
            sender=self,
            dispatch_uid="bulletin-fts-index",
            weak=False,
        )
