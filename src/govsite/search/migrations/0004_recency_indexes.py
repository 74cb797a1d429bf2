"""Every indexed page has a date, and newest-first indexes on it.

Results sorted by date (and the newest matches) are read in index order, stopping at the page. A
date is needed for that order: rows without one take the time they were indexed. SQLite makes a
column NOT NULL by rebuilding the table, which drops its triggers: the FTS5 ones are made again.
"""

from importlib import import_module

from django.db import migrations, models
from django.db.models import F

fulltext = import_module("govsite.search.migrations.0002_fulltext")
SQLITE_TRIGGERS = [sql for sql in fulltext.SQLITE_FORWARD if sql.startswith("CREATE TRIGGER")]
SQLITE_DROP_TRIGGERS = [sql for sql in fulltext.SQLITE_BACKWARD if sql.startswith("DROP TRIGGER")]
remake_triggers = fulltext.run({"sqlite": SQLITE_DROP_TRIGGERS + SQLITE_TRIGGERS})


def date_undated(apps, schema_editor):
    SearchDocument = apps.get_model("govsite_search", "SearchDocument")
    SearchDocument.objects.filter(pub_date__isnull=True).update(pub_date=F("indexed_at"))


class Migration(migrations.Migration):
    dependencies = [("govsite_search", "0003_pg_vector_inline")]

    operations = [
        migrations.RunPython(date_undated, migrations.RunPython.noop),
        migrations.RunPython(migrations.RunPython.noop, remake_triggers),  # after a backward rebuild
        migrations.AlterField(model_name="searchdocument", name="pub_date", field=models.DateTimeField()),
        migrations.RunPython(remake_triggers, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="searchdocument", name="search_doc_site_date"),
        migrations.RemoveIndex(model_name="searchdocument", name="search_doc_date"),
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(
                models.F("site"),
                models.OrderBy(models.F("pub_date"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                name="search_doc_site_recent",
            ),
        ),
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(
                models.OrderBy(models.F("pub_date"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                name="search_doc_recent",
            ),
        ),
    ]
