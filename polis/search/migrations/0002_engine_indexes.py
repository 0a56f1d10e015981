"""Engine-specific index structures: FTS5 on SQLite; int[] + tsvector with GIN on PostgreSQL."""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE search_workfts USING fts5(
        title, summary, notes, tags, creators, body,
        tokenize = 'unicode61 remove_diacritics 2'
    )""",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS search_workfts"]

POSTGRES_FORWARD = [
    "ALTER TABLE search_workdoc ADD COLUMN filter_tags integer[] NOT NULL DEFAULT '{}'",
    "ALTER TABLE search_workdoc ADD COLUMN document tsvector",
    "CREATE INDEX search_doc_filter_tags ON search_workdoc USING gin (filter_tags)",
    "CREATE INDEX search_doc_document ON search_workdoc USING gin (document)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_doc_document",
    "DROP INDEX IF EXISTS search_doc_filter_tags",
    "ALTER TABLE search_workdoc DROP COLUMN IF EXISTS document",
    "ALTER TABLE search_workdoc DROP COLUMN IF EXISTS filter_tags",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
