"""Background tasks of static publishing (run by `govsite worker`).

A full rebuild on the database backend is shared by the workers: rebuild_site_task lists the site's
addresses and queues one rebuild_chunk_task per GOVSITE_REBUILD_CHUNK addresses, and
finish_rebuild_task, which waits for every chunk, then removes stale files and writes the redirect
map once. Adding a worker speeds a rebuild up; a worker that dies mid-chunk has its chunk taken back
by the reaper (core/workers.py) and rendered by another. Every step is idempotent (a page rendered
twice gives the same file), so all three retry on failure.
"""

import datetime as dt
import logging
import time
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from wagtail.models import Site

from govsite.core.background import uses_database
from govsite.core.workers import report_progress, retry_policy

logger = logging.getLogger("govsite.publishing")
FINISH_PRIORITY = -10  # below the chunks: a worker takes the finishing step when no chunk is waiting
FINISH_POLL_SECONDS = 2.0


@task()
def rebuild_site_task(site_id: int) -> str:
    """Re-render every address of one site (a change that shows on all its pages)."""
    from .jobs import rebuild_chunks, rebuild_site

    site = Site.objects.filter(pk=site_id).first()
    if site is None:
        return "站点已删除"
    if not uses_database(rebuild_site_task):  # the immediate backend: all of it here and now
        started = time.monotonic()
        report = rebuild_site(site)
        logger.info("Rebuilt %s in %.1fs: %s", site.hostname, time.monotonic() - started, report)
        return f"{site.hostname}：{report}"
    _paths, chunks = rebuild_chunks(site, settings.GOVSITE_REBUILD_CHUNK)
    ids = [str(rebuild_chunk_task.enqueue(site_id, chunk).id) for chunk in chunks]
    finish_rebuild_task.enqueue(site_id, ids)
    return f"{site.hostname}：已分为 {len(ids)} 个子任务"


@task()
def rebuild_chunk_task(site_id: int, paths: list[str]) -> dict[str, Any]:
    """Render one chunk of a full rebuild; its report as JSON (for finish_rebuild_task)."""
    from .jobs import render_chunk

    site = Site.objects.filter(pk=site_id).first()
    if site is None:
        return {"written": 0, "unchanged": 0, "failed": []}
    report_progress(0, len(paths))
    report = render_chunk(site, paths)
    report_progress(len(paths), len(paths))
    return {
        "written": report.written,
        "unchanged": report.unchanged,
        "failed": [p for _, p, _ in report.failed],
    }


@task(priority=FINISH_PRIORITY)
def finish_rebuild_task(site_id: int, chunk_ids: list[str]) -> str:
    """Once every chunk has finished: remove stale files (only if every chunk succeeded) and write
    the redirect map. Until then it queues itself again a little later, showing chunks done/total."""
    from django_tasks_db.models import DBTaskResult

    from .jobs import finish_rebuild

    site = Site.objects.filter(pk=site_id).first()
    if site is None:
        return "站点已删除"
    chunks = list(DBTaskResult.objects.filter(pk__in=chunk_ids).only("status", "args_kwargs", "return_value"))
    finished = [c for c in chunks if c.status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)]
    report_progress(len(finished), len(chunk_ids))
    if len(finished) < len(chunk_ids) and len(chunks) == len(chunk_ids):
        later = timezone.now() + dt.timedelta(seconds=FINISH_POLL_SECONDS)
        finish_rebuild_task.using(run_after=later).enqueue(site_id, chunk_ids)
        return f"{site.hostname}：等待子任务 {len(finished)}/{len(chunk_ids)}"
    all_paths = {path for chunk in chunks for path in chunk.args_kwargs["args"][1]}
    results = [c.return_value or {} for c in chunks if c.status == TaskResultStatus.SUCCESSFUL]
    failed = [path for result in results for path in result.get("failed", [])]
    complete = len(results) == len(chunk_ids) and not failed
    removed = finish_rebuild(site, all_paths, complete=complete)
    written = sum(result.get("written", 0) for result in results)
    unchanged = sum(result.get("unchanged", 0) for result in results)
    lost = len(chunk_ids) - len(results)
    for path in failed:
        logger.error("Publishing %s%s failed", site.hostname, path)
    summary = f"写入 {written}，未变 {unchanged}，删除 {removed}，失败 {len(failed)}，失败子任务 {lost}"
    logger.info("Rebuilt %s in %d chunks: %s", site.hostname, len(chunk_ids), summary)
    return f"{site.hostname}：{summary}"


retry_policy(rebuild_site_task, attempts=3, backoff_seconds=30)
retry_policy(rebuild_chunk_task, attempts=3, backoff_seconds=10)
retry_policy(finish_rebuild_task, attempts=3, backoff_seconds=10)
