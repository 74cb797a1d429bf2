"""The platform's own clock for scheduled publishing: Wagtail's `publish_scheduled`, every 30 s.

Wagtail stores go_live_at/expire_at but leaves running them to an external scheduler; a government
release at a set minute cannot wait for an hourly cron, so the platform runs them itself.
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
_started = threading.Event()


def run_once() -> None:
    """Publish and unpublish everything that is due now."""
    # A long-running loop must not keep a dead connection; inside a transaction (tests, or a
    # caller's atomic block) the connection is in use and must stay open.
    if not connection.in_atomic_block:
        close_old_connections()
    try:
        publish_scheduled()
    finally:
        if not connection.in_atomic_block:
            close_old_connections()


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
    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            run_once()
        except Exception:  # one failed run must not stop the clock
            logger.exception("scheduled publishing failed")
        stop.wait(interval)


def start_scheduler_thread(interval: float = INTERVAL_SECONDS) -> threading.Thread | None:
    """Start one daemon thread per process; later calls do nothing."""
    if _started.is_set():
        return None
    _started.set()
    thread = threading.Thread(target=run_forever, args=(interval,), name="govsite-scheduler", daemon=True)
    # Let the server finish starting before the first database access.
    threading.Timer(2.0, thread.start).start()
    logger.info("scheduled publishing every %ss", interval)
    return thread
