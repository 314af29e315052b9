"""The database's own full-text engine on top of search_searchentry.

SQLite: an FTS5 table with external content (the `text` column) and the unicode61 tokenizer with
`remove_diacritics 2`, kept in step by triggers on every insert, update and delete.
PostgreSQL: a generated tsvector column (French configuration, plus `simple` so that exact words
and stop words such as the ISO code « ES » match) with a GIN index. The text is already
accent-free (normalised in Python), so no superuser-only extension (unaccent) is needed.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE search_searchentry_fts USING fts5("
    "text, content='search_searchentry', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_searchentry_fts_ai AFTER INSERT ON search_searchentry BEGIN "
    "INSERT INTO search_searchentry_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER search_searchentry_fts_ad AFTER DELETE ON search_searchentry BEGIN "
    "INSERT INTO search_searchentry_fts(search_searchentry_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER search_searchentry_fts_au AFTER UPDATE ON search_searchentry BEGIN "
    "INSERT INTO search_searchentry_fts(search_searchentry_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); "
    "INSERT INTO search_searchentry_fts(rowid, text) VALUES (new.id, new.text); END",
    "INSERT INTO search_searchentry_fts(search_searchentry_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_searchentry_fts_au",
    "DROP TRIGGER IF EXISTS search_searchentry_fts_ad",
    "DROP TRIGGER IF EXISTS search_searchentry_fts_ai",
    "DROP TABLE IF EXISTS search_searchentry_fts",
]
POSTGRESQL_FORWARD = [
    "ALTER TABLE search_searchentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
    "(to_tsvector('french'::regconfig, text) || to_tsvector('simple'::regconfig, text)) STORED",
    "CREATE INDEX search_searchentry_vector_gin ON search_searchentry USING GIN (search_vector)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS search_searchentry_vector_gin",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_entry")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}),
        )
    ]
