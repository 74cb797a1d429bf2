"""Content types of Withdrawal and DocumentValidity now belong to govsite_content.

Re-labelling the existing content type rows (rather than letting new ones be created) keeps every
group permission on them and every admin log entry pointing at them.
"""

from typing import Any

from django.db import migrations

OLD, NEW = "govsite_workflow", "govsite_content"
MODELS = ("withdrawal", "documentvalidity")


def relabel(apps: Any, source: str, target: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    permission = apps.get_model("auth", "Permission")
    for model in MODELS:
        old = content_type.objects.filter(app_label=source, model=model).first()
        if old is None:
            continue
        fresh = content_type.objects.filter(app_label=target, model=model).first()
        if fresh is not None:
            _merge_into(permission, fresh, old)
        old.app_label = target
        old.save(update_fields=["app_label"])
    content_type.objects.clear_cache()


def _merge_into(permission: Any, fresh: Any, old: Any) -> None:
    """A content type made for the new label before this migration ran (e.g. by a post_migrate
    handler) gives way to the old one: its permissions' grants move over, then it is deleted."""
    for perm in permission.objects.filter(content_type=fresh):
        kept = permission.objects.filter(content_type=old, codename=perm.codename).first()
        if kept is None:
            perm.content_type = old
            perm.save(update_fields=["content_type"])
            continue
        kept.group_set.add(*perm.group_set.all())
        kept.user_set.add(*perm.user_set.all())
        perm.delete()
    fresh.delete()


def forwards(apps: Any, schema_editor: Any) -> None:
    relabel(apps, OLD, NEW)


def backwards(apps: Any, schema_editor: Any) -> None:
    relabel(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("govsite_content", "0002_lifecycle_from_workflow"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
