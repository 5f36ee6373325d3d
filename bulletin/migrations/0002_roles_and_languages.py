from django.contrib.auth.management import create_permissions
from django.db import migrations

LANGUAGES = [
    ("en", "English", 0),
    ("be", "Беларуская", 1),
    ("ru", "Русский", 2),
]


def create_roles_and_languages(apps, schema_editor):
    from bulletin.roles import sync_roles

    # Permissions are normally created after all migrations; create them now so
    # the groups can be given theirs in this migration.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_roles(apps, using=schema_editor.connection.alias)

    Language = apps.get_model("bulletin", "Language")
    for code, name, position in LANGUAGES:
        Language.objects.using(schema_editor.connection.alias).get_or_create(
            code=code, defaults={"name": name, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("bulletin", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_roles_and_languages, migrations.RunPython.noop),
    ]
