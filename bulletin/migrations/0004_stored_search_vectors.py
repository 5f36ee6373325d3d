"""PostgreSQL: each language's weighted search vector (title A, lead B, body C,
tags stripped) is stored in a generated column, `search_<code>`, with a GIN
index, instead of only being indexed as an expression.

The index alone found the matches, but ranking them (`ts_rank`) recomputed
the vector of every matching article from its text: for a common word, most of
a search's time. PostgreSQL keeps a generated column up to date on every
write, whichever way it is made (save, update(), bulk_create, raw SQL).

Django's models do not declare these columns (bulletin/search.py reads them,
and no query of the models' selects them);
a later migration that changes the type of a title, lead or body column must
drop and re-create them. Nothing on SQLite, which searches by substring.
"""

import importlib

from django.db import migrations

# The vector exactly as 0003 indexed it, taken from that migration (frozen like
# this one), not from bulletin/search.py, so later code cannot rewrite history.
_indexes = importlib.import_module("bulletin.migrations.0003_search_indexes")
CONFIGS = _indexes.CONFIGS
stored_vector_sql = _indexes._vector
OLD_INDEX = "article_search_{code}"


def store(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for code, config in CONFIGS.items():
        schema_editor.execute(
            f"ALTER TABLE bulletin_article ADD COLUMN IF NOT EXISTS search_{code} tsvector "
            f"GENERATED ALWAYS AS ({stored_vector_sql(code, config)}) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS article_search_vector_{code} "
            f"ON bulletin_article USING GIN (search_{code})"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX.format(code=code)}")


def unstore(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for code, config in CONFIGS.items():
        schema_editor.execute(f"ALTER TABLE bulletin_article DROP COLUMN IF EXISTS search_{code}")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {OLD_INDEX.format(code=code)} ON bulletin_article "
            f"USING GIN (({stored_vector_sql(code, config)}))"
        )


class Migration(migrations.Migration):
    dependencies = [("bulletin", "0003_search_indexes")]

    operations = [migrations.RunPython(store, unstore)]
