"""Background work of the 留言 app (run by `govsite db_worker`)."""

from django_tasks import task


@task()
def message_alerts_task() -> str:
    """Deadline reminders, 督办 and the 60-day alert; queued daily by the platform clock (`govsite
    scheduler`), so that no operator has to remember a cron line for them."""
    from .services import send_alerts

    sent = send_alerts()
    return "，".join(f"{level.label} {count} 条" for level, count in sorted(sent.items())) or "无需提醒"
