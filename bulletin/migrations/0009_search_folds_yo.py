"""PostgreSQL: the stored search vectors read ё as е (translate() before
to_tsvector), so «елка» finds «ёлка» in Belarusian, whose 'simple'
configuration, unlike the Russian stemmer, keeps ё as it is. The generated
columns are dropped and added again with the new expression (a generated
column's expression cannot be altered), with their GIN indexes.

SQLite keeps its own index (bulletin/search.py, sqlite_index_ensure, run
after every migrate)."""

from django.db import migrations

CONFIGS = {"en": "english", "be": "simple", "ru": "russian"}


def _vector(code, config, *, fold):
    def part(field, weight, strip):
        column = f'"{field}_{code}"'
        if strip:
            column = f"regexp_replace({column}, '<[^>]*>', ' ', 'g')"
        column = f"COALESCE({column}, '')"
        if fold:
            column = f"translate({column}, 'ёЁ', 'еЕ')"
        return f"setweight(to_tsvector('{config}'::regconfig, {column}), '{weight}')"

    return f"(({part('title', 'A', False)} || {part('lead', 'B', True)}) || {part('body', 'C', True)})"


def _store(schema_editor, *, fold):
    if schema_editor.connection.vendor != "postgresql":
        return
    for code, config in CONFIGS.items():
        schema_editor.execute(f"ALTER TABLE bulletin_article DROP COLUMN IF EXISTS search_{code}")
        schema_editor.execute(
            f"ALTER TABLE bulletin_article ADD COLUMN search_{code} tsvector "
            f"GENERATED ALWAYS AS ({_vector(code, config, fold=fold)}) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS article_search_vector_{code} "
            f"ON bulletin_article USING GIN (search_{code})"
        )


def fold_yo(apps, schema_editor):
    _store(schema_editor, fold=True)


def keep_yo(apps, schema_editor):
    _store(schema_editor, fold=False)


class Migration(migrations.Migration):
    dependencies = [("bulletin", "0008_article_old_urls")]

    operations = [migrations.RunPython(fold_yo, keep_yo)]
