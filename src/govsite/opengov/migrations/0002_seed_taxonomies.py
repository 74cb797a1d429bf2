"""Seed 主题分类 and 体裁分类 (administrators edit them afterwards)."""

from typing import Any

from django.db import migrations


def seed(apps: Any, schema_editor: Any) -> None:
    from govsite.opengov.taxonomies import GENRES, SUBJECTS

    subject = apps.get_model("govsite_opengov", "SubjectCategory")
    genre = apps.get_model("govsite_opengov", "Genre")
    for n, (name, children) in enumerate(SUBJECTS):
        top, _ = subject.objects.get_or_create(parent=None, name=name, defaults={"sort_order": n})
        for m, child in enumerate(children):
            subject.objects.get_or_create(parent=top, name=child, defaults={"sort_order": m})
    for n, name in enumerate(GENRES):
        genre.objects.get_or_create(name=name, defaults={"sort_order": n})


class Migration(migrations.Migration):
    dependencies = [("govsite_opengov", "0001_catalogue")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
