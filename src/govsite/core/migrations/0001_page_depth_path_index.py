"""An index on Wagtail's page tree for `get_children()` / `child_of()` on large sites.

Wagtail (treebeard) selects a page's children with `depth = N AND path BETWEEN …`; with only the
`path` index that reads every descendant of the page (the whole site, 10,000+ articles, for a
home page's menu). `(depth, path)` answers it from the children alone, on SQLite and PostgreSQL.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("wagtailcore", "0098_apitoken")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS govsite_page_depth_path ON wagtailcore_page (depth, path)",
            reverse_sql="DROP INDEX IF EXISTS govsite_page_depth_path",
        )
    ]
