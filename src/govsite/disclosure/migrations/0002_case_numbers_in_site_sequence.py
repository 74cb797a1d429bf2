"""受理编号 counters move to the shared per-site sequence.

The counter's last values are carried into `govsite_sites.SiteSequence` (name "disclosure.case_number"), then the
app's own counter table goes: one numbering mechanism serves every app. Reversible.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

SEQUENCE = "disclosure.case_number"


def to_site_sequence(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    counter = apps.get_model("govsite_disclosure", "CaseCounter")
    sequence = apps.get_model("govsite_sites", "SiteSequence")
    for row in counter.objects.all():
        sequence.objects.update_or_create(
            site_id=row.site_id, name=SEQUENCE, year=row.year, defaults={"value": row.last}
        )


def from_site_sequence(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    counter = apps.get_model("govsite_disclosure", "CaseCounter")
    sequence = apps.get_model("govsite_sites", "SiteSequence")
    for row in sequence.objects.filter(name=SEQUENCE):
        counter.objects.update_or_create(site_id=row.site_id, year=row.year, defaults={"last": row.value})
    sequence.objects.filter(name=SEQUENCE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("govsite_disclosure", "0001_disclosure_requests"),
        ("govsite_sites", "0003_site_sequence"),
    ]

    operations = [
        migrations.RunPython(to_site_sequence, from_site_sequence),
        migrations.DeleteModel(name="CaseCounter"),
    ]
