"""PostgreSQL: `fields tsvector`, the summary (A), notes (B) and creators (C) apart, so the
query language's `summary:`, `notes:` and `creators:` match their own field (`document`
mixes them in its weights). SQLite's FTS5 table already has a column for each.

Works indexed before this migration have no `fields` until they are indexed again
(`polis search reindex`, or any change to the work)."""

from django.db import migrations

POSTGRES_FORWARD = [
    "ALTER TABLE search_workdoc ADD COLUMN fields tsvector",
    "CREATE INDEX search_doc_fields ON search_workdoc USING gin (fields)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_doc_fields",
    "ALTER TABLE search_workdoc DROP COLUMN IF EXISTS fields",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0004_savedsearch_tagblock")]

    operations = [migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD))]
