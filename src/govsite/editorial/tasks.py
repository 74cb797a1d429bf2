"""Background work of the editorial app (run by `govsite db_worker`)."""

from django_tasks import task


@task()
def stale_column_reminders_task() -> str:
    """Remind editors of columns about to go stale; queued daily by `govsite scheduler`."""
    from .columns import send_stale_column_reminders

    return f"栏目更新提醒 {send_stale_column_reminders()} 个栏目"
