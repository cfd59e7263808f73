"""PostgreSQL only: a GIN index on the jieba-segmented search column (see suggestions.search).

SQLite has no tsvector; there the search uses LIKE on the same column.
"""

from django.db import migrations

INDEX = "sugg_search_tsv"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON suggestions_suggestion "
        "USING gin (to_tsvector('simple'::regconfig, search_text))"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
