"""Background tasks of static publishing (run by `govsite db_worker`)."""

import logging
import time

from django_tasks import task
from wagtail.models import Site

logger = logging.getLogger("govsite.publishing")


@task()
def rebuild_site_task(site_id: int) -> str:
    """Re-render every address of one site (a change that shows on all its pages)."""
    from .jobs import rebuild_site

    site = Site.objects.filter(pk=site_id).first()
    if site is None:
        return "站点已删除"
    started = time.monotonic()
    try:
        report = rebuild_site(site)
    except (KeyboardInterrupt, SystemExit):
        # The worker is being stopped (Ctrl+C, systemctl stop): queue the rebuild again, so the
        # next worker does it; the task itself is recorded as failed.
        from govsite.core.background import enqueue_once

        enqueue_once(rebuild_site_task, site_id)
        raise
    logger.info("Rebuilt %s in %.1fs: %s", site.hostname, time.monotonic() - started, report)
    return f"{site.hostname}：{report}"
