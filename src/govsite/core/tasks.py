"""The audit trail's upkeep on the platform clock (`govsite scheduler`): no cron line to forget."""

from django.conf import settings
from django_tasks import task


@task()
def audit_head_task() -> str:
    """Send the chain head to GOVSITE_AUDIT_SYSLOG (another machine), hourly; nothing when unset."""
    from . import audit

    if not settings.GOVSITE_AUDIT_SYSLOG:
        return "未配置 GOVSITE_AUDIT_SYSLOG"
    line = audit.head_line()
    audit.send_to_syslog(line, settings.GOVSITE_AUDIT_SYSLOG)
    return line


@task()
def audit_prune_task() -> str:
    """Remove the records past GOVSITE_AUDIT_RETENTION_DAYS, daily (a checkpoint keeps the chain whole)."""
    from . import audit

    return f"已清理 {audit.prune()} 条审计记录"


@task()
def index_objects_task(app_label: str, model_name: str, pks: list[str]) -> str:
    """The search index updated for the objects a bulk build saved (core/bulk.py), in one task: what
    modelsearch's own task does for one object, for each of them (one gone since is left out)."""
    from django.apps import apps
    from modelsearch import index

    model = apps.get_model(app_label, model_name)
    count = 0
    for instance in model._default_manager.filter(pk__in=pks):
        index.insert_or_update_object(instance)
        count += 1
    return f"已更新 {count} 条搜索索引"


@task()
def update_references_task(app_label: str, model_name: str, pks: list[str]) -> str:
    """Wagtail's reference index task for each object a bulk build saved (core/bulk.py), in one task."""
    from django.apps import apps
    from wagtail.tasks import update_reference_index_task

    model = apps.get_model(app_label, model_name)
    found = [str(pk) for pk in model._default_manager.filter(pk__in=pks).values_list("pk", flat=True)]
    for pk in found:
        update_reference_index_task.call(app_label, model_name, pk)
    return f"已更新 {len(found)} 个对象的引用索引"
