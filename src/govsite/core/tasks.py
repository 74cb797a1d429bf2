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
