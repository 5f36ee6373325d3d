"""The two editorial roles and what each may do.

The groups are created by a data migration and kept in step with this table
after every `migrate`. Another app adds what its own models need by declaring
`role_permissions = {EDITORS: [...]}` on its AppConfig (newsletter/apps.py
does); bulletin knows nothing of those apps. The admin and the services check these permissions;
hiding a button is never the only guard.
"""

from django.db import DEFAULT_DB_ALIAS

ANALYSTS = "Analysts"
EDITORS = "Editors"
# No permissions of its own: its members must use two-factor authentication
# (accounts/twofactor.py, TWO_FACTOR_REQUIRED_GROUPS).
TWO_FACTOR_REQUIRED = "Two-factor required"

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
    ],
    TWO_FACTOR_REQUIRED: [],
}


def role_permissions() -> dict[str, list[str]]:
    """Each role's permissions: bulletin's own, then what installed apps declare."""
    from django.apps import apps as installed

    merged = {name: list(wanted) for name, wanted in ROLE_PERMISSIONS.items()}
    for config in installed.get_app_configs():
        for name, wanted in getattr(config, "role_permissions", {}).items():
            merged.setdefault(name, []).extend(wanted)
    return merged


def sync_roles(apps, using=DEFAULT_DB_ALIAS):
    """Create the groups and give each exactly its permissions that exist so far."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in role_permissions().items():
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
    if app_config is None or not (
        app_config.label == "bulletin" or getattr(app_config, "role_permissions", None)
    ):
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
