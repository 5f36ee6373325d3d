"""The subscriber list's search (`email` contains …) by a trigram index on
PostgreSQL: without it, each search reads the whole table (bench/part_ledger.py
measured 350 ms at 200,000 subscribers). The admin searches with
UPPER(email) LIKE UPPER('%…%'), so the index is on that expression. Other
databases get nothing."""

from django.db import migrations

INDEX = "newsletter_subscriber_email_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON newsletter_subscriber "
        "USING gin ((UPPER(email::text)) gin_trgm_ops)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("newsletter", "0006_dispatch_counts")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
