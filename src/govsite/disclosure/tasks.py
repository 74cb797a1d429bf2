"""Background work of the disclosure app (run by `govsite db_worker`)."""

from django_tasks import task


@task()
def deadline_reminders_task() -> str:
    """Remind handlers of due-soon and overdue cases; queued daily by `govsite scheduler`."""
    from .reminders import send_deadline_reminders

    return f"依申请公开到期提醒 {send_deadline_reminders()} 件"
