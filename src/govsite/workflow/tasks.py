"""Background tasks of the editorial workflow (run by `govsite db_worker`)."""

from django_tasks import task


@task()
def publish_due_task() -> None:
    """Publish and unpublish what is due (定时发布/下线); queued every 30 s by `govsite scheduler`."""
    from .scheduler import run_once

    run_once()
