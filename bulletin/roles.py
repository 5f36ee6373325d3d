"""The two editorial roles and what each may do.

The groups are created by a data migration and kept in step with this table
after every `migrate`. The admin and the services check these permissions;
hiding a button is never the only guard.
"""

from django.db import DEFAULT_DB_ALIAS

ANALYSTS = "Analysts"
EDITORS = "Editors"

ROLE_PERMISSIONS = {
    ANALYSTS: [
        "bulletin.add_article",
        "bulletin.change_article",
        "bulletin.view_article",
        "bulletin.view_issue",
        "bulletin.view_topic",
        "bulletin.view_language",
        "bulletin.view_transition",
        "bulletin.add_image",
        "bulletin.change_image",
        "bulletin.view_image",
        "bulletin.add_author",
        "bulletin.change_author",
        "bulletin.view_author",
        "bulletin.add_byline",
        "bulletin.change_byline",
        "bulletin.delete_byline",
        "bulletin.view_byline",
    ],
    EDITORS: [
        "bulletin.add_article",
        "bulletin.change_article",
        "bulletin.delete_article",
        "bulletin.view_article",
        "bulletin.review_article",
        "bulletin.add_issue",
        "bulletin.change_issue",
        "bulletin.delete_issue",
        "bulletin.view_issue",
        "bulletin.publish_issue",
        "bulletin.add_topic",
        "bulletin.change_topic",
        "bulletin.view_topic",
        "bulletin.change_language",
        "bulletin.view_language",
        "bulletin.view_transition",
        "bulletin.add_image",
        "bulletin.change_image",
        "bulletin.delete_image",
        "bulletin.view_image",
        "bulletin.add_author",
        "bulletin.change_author",
        "bulletin.delete_author",
        "bulletin.view_author",
        "bulletin.add_byline",
        "bulletin.change_byline",
        "bulletin.delete_byline",
        "bulletin.view_byline",
        "newsletter.view_subscriber",
        "newsletter.add_subscriber",
        "newsletter.change_subscriber",
        "newsletter.delete_subscriber",
        "newsletter.view_consentrecord",
        "newsletter.view_dispatch",
        "newsletter.change_dispatch",
        "newsletter.send_newsletter",
        "newsletter.view_delivery",
    ],
}


def sync_roles(apps, using=DEFAULT_DB_ALIAS):
    """Create both groups and give each exactly its permissions that exist so far."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=name)
        perms = []
        for dotted in wanted:
            app_label, codename = dotted.split(".")
            perm = (
                Permission.objects.using(using)
                .filter(content_type__app_label=app_label, codename=codename)
                .first()
            )
            if perm:
                perms.append(perm)
        group.permissions.set(perms)


def sync_after_migrate(sender, app_config=None, using=DEFAULT_DB_ALIAS, apps=None, **kwargs):
    # Runs once per migrated app, after auth has created that app's permissions.
    if app_config is None or app_config.label not in ("bulletin", "newsletter"):
        return
    if apps is None:
        # `flush` (as TransactionTestCase and live-server tests run it) sends
        # post_migrate without the migration state: the current models are right.
        from django.apps import apps
    try:
        apps.get_model("auth", "Group")
        apps.get_model("bulletin", "Article")
    except LookupError:
        return
    sync_roles(apps, using=using)
