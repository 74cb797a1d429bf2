"""Content types of the moved models now belong to govsite_checks, and so does the 放行 permission.

Re-labelling the existing content type rows (rather than letting new ones be created) keeps every
group permission on them (change_wordrule, ...) and every admin log entry pointing at them.
"""

from typing import Any

from django.db import migrations

from govsite.core.migration_ops import relabel_content_types

OLD, NEW = "govsite_workflow", "govsite_checks"
MODELS = ("wordrule", "leader", "pagecheck", "checkoverride")
# The 放行 permission was declared on SiteWorkflow; it is now declared on CheckOverride.
OVERRIDE = "override_checks"


def relabel(apps: Any, source: str, target: str, override_from: str, override_to: str) -> None:
    relabel_content_types(apps, source, target, MODELS)
    content_type = apps.get_model("contenttypes", "ContentType")
    permission = apps.get_model("auth", "Permission")
    old_holder = content_type.objects.filter(app_label=override_from[0], model=override_from[1]).first()
    new_holder = content_type.objects.filter(app_label=override_to[0], model=override_to[1]).first()
    if old_holder and new_holder:
        clash = permission.objects.filter(content_type=new_holder, codename=OVERRIDE).exists()
        if not clash:
            permission.objects.filter(content_type=old_holder, codename=OVERRIDE).update(
                content_type=new_holder
            )
    content_type.objects.clear_cache()


def forwards(apps: Any, schema_editor: Any) -> None:
    relabel(apps, OLD, NEW, (OLD, "siteworkflow"), (NEW, "checkoverride"))


def backwards(apps: Any, schema_editor: Any) -> None:
    relabel(apps, NEW, OLD, (OLD, "checkoverride"), (OLD, "siteworkflow"))


class Migration(migrations.Migration):
    dependencies = [
        ("govsite_checks", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
