"""An index for "the children of this page of these types" on large sites.

A column can hold tens of thousands of articles as direct children; asking for its few
sub-columns or information pages by (depth, path) alone reads every one of them. With the content
type first, the database goes straight to the handful of matching children.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("govsite_core", "0001_page_depth_path_index")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS govsite_page_type_depth_path "
            "ON wagtailcore_page (content_type_id, depth, path)",
            reverse_sql="DROP INDEX IF EXISTS govsite_page_type_depth_path",
        )
    ]
