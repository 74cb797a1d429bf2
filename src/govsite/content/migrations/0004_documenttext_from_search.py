"""DocumentText, as it was in the search app: state only, its table (govsite_search_documenttext) stays.

Its content type row is re-labelled rather than created anew, so permissions on it and admin log
entries pointing at it survive.
"""

import django.db.models.deletion
from django.db import migrations, models

from govsite.core.migration_ops import relabel_content_types_operation

OLD, NEW, MODEL = "govsite_search", "govsite_content", "documenttext"


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
        relabel_content_types_operation(OLD, NEW, (MODEL,)),
    ]
