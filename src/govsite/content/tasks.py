"""Background work of the content app (run by `govsite db_worker`)."""

from django_tasks import task


@task()
def housekeeping_task() -> str:
    """End passed 置顶 and empty the 回收站 of pages older than 30 days; queued by the platform clock
    (`govsite scheduler`) with the due-publication check."""
    from .lifecycle import expire_pins
    from .recycle import purge_expired

    pins, purged = expire_pins(), purge_expired()
    return f"置顶到期 {pins} 篇，回收站清除 {purged} 个页面"
