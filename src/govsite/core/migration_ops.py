"""What migrations that move models between apps share: the models' content types move with them.

Re-labelling the existing content type rows (rather than letting new ones be created) keeps every
group permission on them and every admin log entry pointing at them. Migrations import this module,
so it must keep working with the historical models `apps` gives them.
"""

from typing import Any

from django.db import migrations


def relabel_content_types(apps: Any, source: str, target: str, models: tuple[str, ...]) -> None:
    """Give the content types of `models` the app label `target` instead of `source`."""
    content_type = apps.get_model("contenttypes", "ContentType")
    permission = apps.get_model("auth", "Permission")
    for model in models:
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
    """A content type made for the new label before the migration ran (e.g. by a post_migrate
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


def relabel_content_types_operation(
    source: str, target: str, models: tuple[str, ...]
) -> migrations.RunPython:
    """The RunPython operation that moves the content types of `models` from `source` to `target`
    (and back when the migration is reversed)."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        relabel_content_types(apps, source, target, models)

    def backwards(apps: Any, schema_editor: Any) -> None:
        relabel_content_types(apps, target, source, models)

    return migrations.RunPython(forwards, backwards)
