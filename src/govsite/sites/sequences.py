"""Per-site, per-year sequence numbers (受理编号, 索引号): one mechanism for every numbering.

`next_value` increments the row with a single UPDATE inside a transaction. On PostgreSQL the UPDATE
takes the row's lock until commit, so concurrent callers queue behind it and each reads its own value;
on SQLite the UPDATE takes the database's write lock for the rest of the transaction, with the same
effect. The value is read back inside that same transaction, after the lock is held.
"""

from django.apps.registry import Apps
from django.db import transaction
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations import RunPython
from django.db.models import F
from wagtail.models import Site

from .models import SiteSequence


def next_value(site: Site, name: str, year: int) -> int:
    """The next number (1, 2, …) of sequence `name` for `site` in `year`; numbers are never reused.

    Call it inside the transaction that stores the number: if that transaction rolls back, so does the
    increment, and no gap is left.
    """
    with transaction.atomic():
        SiteSequence.objects.get_or_create(site=site, name=name, year=year)
        row = SiteSequence.objects.filter(site=site, name=name, year=year)
        row.update(value=F("value") + 1)
        return row.values_list("value", flat=True).get()


def carry_counter(app_label: str, model: str, sequence: str) -> RunPython:
    """The data migration that moves an app's own (site, year, last) counter rows into `sequence`
    of SiteSequence, and back when reversed (the 受理编号 and 索引号 counters joined it this way)."""

    def forward(apps: Apps, schema_editor: BaseDatabaseSchemaEditor | None) -> None:
        counter, target = apps.get_model(app_label, model), apps.get_model("govsite_sites", "SiteSequence")
        for row in counter.objects.all():
            target.objects.update_or_create(
                site_id=row.site_id, name=sequence, year=row.year, defaults={"value": row.last}
            )

    def backward(apps: Apps, schema_editor: BaseDatabaseSchemaEditor | None) -> None:
        counter, target = apps.get_model(app_label, model), apps.get_model("govsite_sites", "SiteSequence")
        for row in target.objects.filter(name=sequence):
            counter.objects.update_or_create(site_id=row.site_id, year=row.year, defaults={"last": row.value})
        target.objects.filter(name=sequence).delete()

    return RunPython(forward, backward)
