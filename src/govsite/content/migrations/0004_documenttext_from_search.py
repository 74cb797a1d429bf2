"""DocumentText, as it was in the search app: state only, its table (govsite_search_documenttext) stays.

Its content type row is re-labelled rather than created anew, so permissions on it and admin log
entries pointing at it survive.
"""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

OLD, NEW, MODEL = "govsite_search", "govsite_content", "documenttext"


def relabel(apps: Any, source: str, target: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    permission = apps.get_model("auth", "Permission")
    old = content_type.objects.filter(app_label=source, model=MODEL).first()
    if old is None:
        return
    fresh = content_type.objects.filter(app_label=target, model=MODEL).first()
    if fresh is not None:  # made for the new label before this ran: it gives way to the old row
        for perm in permission.objects.filter(content_type=fresh):
            kept = permission.objects.filter(content_type=old, codename=perm.codename).first()
            if kept is None:
                perm.content_type = old
                perm.save(update_fields=["content_type"])
            else:
                kept.group_set.add(*perm.group_set.all())
                kept.user_set.add(*perm.user_set.all())
                perm.delete()
        fresh.delete()
    old.app_label = target
    old.save(update_fields=["app_label"])
    content_type.objects.clear_cache()


def forwards(apps: Any, schema_editor: Any) -> None:
    relabel(apps, OLD, NEW)


def backwards(apps: Any, schema_editor: Any) -> None:
    relabel(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("govsite_content", "0003_repoint_lifecycle_content_types"),
        ("govsite_search", "0007_move_documenttext_to_content"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DocumentText",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("file_hash", models.CharField(blank=True, max_length=40)),
                        ("text", models.TextField(blank=True)),
                        ("error", models.CharField(blank=True, max_length=255)),
                        ("extracted_at", models.DateTimeField(auto_now=True)),
                        (
                            "document",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="wagtaildocs.document",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "附件文本",
                        "verbose_name_plural": "附件文本",
                        "db_table": "govsite_search_documenttext",
                    },
                ),
            ]
        ),
        migrations.RunPython(forwards, backwards),
    ]
