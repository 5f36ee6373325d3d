"""PostgreSQL full-text search indexes, one per language: GIN on exactly the
weighted vector bulletin/search.py matches against (title A, lead B, body C,
tags stripped), so a search reads the index instead of parsing every article.
Nothing on SQLite, which searches by substring."""

from django.db import migrations

CONFIGS = {"en": "english", "be": "simple", "ru": "russian"}


def _vector(code, config):
    def part(field, weight, strip):
        column = f'"{field}_{code}"'
        if strip:
            column = f"regexp_replace({column}, '<[^>]*>', ' ', 'g')"
        return f"setweight(to_tsvector('{config}'::regconfig, COALESCE({column}, '')), '{weight}')"

    return f"(({part('title', 'A', False)} || {part('lead', 'B', True)}) || {part('body', 'C', True)})"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for code, config in CONFIGS.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS article_search_{code} ON bulletin_article "
            f"USING GIN (({_vector(code, config)}))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for code in CONFIGS:
        schema_editor.execute(f"DROP INDEX IF EXISTS article_search_{code}")


class Migration(migrations.Migration):
    dependencies = [("bulletin", "0002_roles_and_languages")]

    operations = [migrations.RunPython(create, drop)]
