"""The full-text structures: an FTS5 table with triggers on SQLite, a GIN index on PostgreSQL."""

from django.db import migrations

FTS = "govsite_search_fts"
DOC = "govsite_search_searchdocument"
COLUMNS = "t_title, t_summary, t_body, t_source, t_attachments"
NEW = ", ".join(f"new.{c.strip()}" for c in COLUMNS.split(","))
OLD = ", ".join(f"old.{c.strip()}" for c in COLUMNS.split(","))

SQLITE_FORWARD = [
    # Tokens arrive pre-segmented and space-separated: unicode61 only splits on the spaces.
    f"CREATE VIRTUAL TABLE {FTS} USING fts5({COLUMNS}, content='{DOC}', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
    f"CREATE TRIGGER {FTS}_ai AFTER INSERT ON {DOC} BEGIN "
    f"INSERT INTO {FTS}(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END",
    f"CREATE TRIGGER {FTS}_ad AFTER DELETE ON {DOC} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD}); END",
    f"CREATE TRIGGER {FTS}_au AFTER UPDATE OF {COLUMNS} ON {DOC} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD}); "
    f"INSERT INTO {FTS}(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END",
]
SQLITE_BACKWARD = [f"DROP TRIGGER IF EXISTS {FTS}_{t}" for t in ("ai", "ad", "au")] + [f"DROP TABLE IF EXISTS {FTS}"]
PG_FORWARD = [f"CREATE INDEX govsite_search_vector_gin ON {DOC} USING gin (search_vector)"]
PG_BACKWARD = ["DROP INDEX IF EXISTS govsite_search_vector_gin"]


def run(statements_by_vendor: dict[str, list[str]]):
    def apply(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("govsite_search", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}),
            run({"sqlite": SQLITE_BACKWARD, "postgresql": PG_BACKWARD}),
        )
    ]
