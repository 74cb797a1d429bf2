"""The platform's own clock for scheduled publishing: Wagtail's `publish_scheduled`, every 30 s.

Wagtail stores go_live_at/expire_at but leaves running them to an external scheduler; a government
release at a set minute cannot wait for an hourly cron. django-tasks has no periodic tasks, so
`govsite scheduler` is a small loop that queues the due-publication check (workflow.tasks.
publish_due_task) every 30 s, and the task worker runs it with the other background work: once,
however many schedulers run (a check already queued is not queued again), and the publishing it
does (static files, the search index) happens in the worker, not in the loop.
"""

import logging
import threading

from django.core.management import call_command
from django.db import close_old_connections, connection
from wagtail.models import Revision

from govsite.checks.gate import PublicationBlocked, log_blocked

logger = logging.getLogger(__name__)
INTERVAL_SECONDS = 30
MAX_REFUSED_PER_RUN = 100


def run_once() -> None:
    """Publish and unpublish everything that is due now."""
    # A long-running process must not keep a dead connection; inside a transaction (tests, or a
    # caller's atomic block) the connection is in use and must stay open.
    if not connection.in_atomic_block:
        close_old_connections()
    try:
        publish_scheduled()
    finally:
        if not connection.in_atomic_block:
            close_old_connections()


def enqueue_check() -> None:
    """Queue one due-publication check, unless one is already waiting for the worker."""
    from govsite.content.tasks import housekeeping_task
    from govsite.core.background import enqueue_once, queue_clock_tasks

    from .tasks import publish_due_task

    if not connection.in_atomic_block:
        close_old_connections()
    enqueue_once(publish_due_task)
    enqueue_once(housekeeping_task)  # ended 置顶, the 回收站's 30 days
    queue_clock_tasks()  # the other apps' periodic work (依申请公开 reminders, daily)


def publish_scheduled() -> None:
    """Wagtail's `publish_scheduled`; a page the publication gate refuses is left out, the rest go on.

    The refused revision is unscheduled (it would be refused again every run) and the refusal is
    logged in the page's history (govsite.checks.blocked): fix or override, then schedule again.
    """
    for _refused in range(MAX_REFUSED_PER_RUN + 1):
        try:
            call_command("publish_scheduled", verbosity=0)
            return
        except PublicationBlocked as blocked:
            Revision.objects.filter(pk=blocked.revision_id).update(approved_go_live_at=None)
            log_blocked(blocked, attempted="scheduled")
            logger.warning("scheduled publication refused: %s", blocked.messages[0])


def run_forever(interval: float = INTERVAL_SECONDS, stop: threading.Event | None = None) -> None:
    """Queue a check every `interval` seconds until `stop` is set (or the process is stopped)."""
    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            enqueue_check()
        except Exception:  # one failed round (database restarting) must not stop the clock
            logger.exception("queueing scheduled publishing failed")
        stop.wait(interval)
