"""A covering index for counting a column's listed articles on large sites.

A column's list pages show how many articles it holds (共 K 条), and publishing one article counts
every column above it. The count filters on content type, the subtree (a range on `path`), `live`
and `expire_at`: with all four in one index the database counts index entries without reading a
single row (120 → 7 ms for a column of 30,000 articles on SQLite).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("govsite_core", "0004_worker_heartbeat_task_progress")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS govsite_page_type_path_listed "
            "ON wagtailcore_page (content_type_id, path, live, expire_at)",
            reverse_sql="DROP INDEX IF EXISTS govsite_page_type_path_listed",
        )
    ]
