"""PostgreSQL: keep each document's tsvector in its table row (compressed), not in TOAST.

A vector averages ~5 KB compressed, so PostgreSQL moved it out of line; every match a query
rechecks (phrases) or ranks then cost a TOAST index lookup and a chunk fetch. Inline, the same
100,000-article query set ran at p95 115 / 88 ms instead of 222 / 239 ms (docs/benchmarks.md).
Rows written before this migration move when they are next written (or after VACUUM FULL).
"""

from django.db import migrations

DOC = "govsite_search_searchdocument"


def set_storage(storage: str):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE {DOC} ALTER COLUMN search_vector SET STORAGE {storage}")

    return apply


class Migration(migrations.Migration):
    dependencies = [("govsite_search", "0002_fulltext")]

    operations = [migrations.RunPython(set_storage("MAIN"), set_storage("EXTENDED"))]
