"""Content types of Withdrawal and DocumentValidity now belong to govsite_content.

Re-labelling the existing content type rows (rather than letting new ones be created) keeps every
group permission on them and every admin log entry pointing at them.
"""

from django.db import migrations

from govsite.core.migration_ops import relabel_content_types_operation

OLD, NEW = "govsite_workflow", "govsite_content"
MODELS = ("withdrawal", "documentvalidity")


class Migration(migrations.Migration):
    dependencies = [
        ("govsite_content", "0002_lifecycle_from_workflow"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [relabel_content_types_operation(OLD, NEW, MODELS)]
