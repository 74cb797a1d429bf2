"""Publishing jobs: incremental ones run at once, whole-site rebuilds as background tasks.

Incremental publishing of one article is small and its files must be up within a second, so it
runs in the request that published the page (after the transaction commits). A change that shows
on every page of a site (a column renamed, the footer edited) queues a rebuild of that site
(publishing.tasks.rebuild_site_task, run by `govsite worker`), so the editor is not kept waiting;
a rebuild already queued for the site is not queued again. On the database backend that task splits
the rebuild in chunk tasks any worker takes (several workers share it, one that dies is replaced);
`govsite publish` runs `rebuild_site` in its own process(es).
"""

import logging
from collections.abc import Callable, Iterable
from multiprocessing import get_context
from pathlib import Path

from django.db import connections
from wagtail.models import Site

from govsite.core.fragments import fragment_cache

from .layout import file_of_status_file, public_root, relative_file, site_dir
from .publisher import COMPRESSIBLE_SUFFIXES, Address, Publisher, Report, mark_default_site, remove_file
from .redirects import write_redirect_map
from .signals import files_changed
from .targets import expand, site_addresses

logger = logging.getLogger("govsite.publishing")
CHUNK = 100  # addresses per job: each job shares its chrome and lookups


def publish_addresses(site: Site, addresses: Iterable[Address]) -> Report:
    """Render these addresses; whatever the application now answers (page, redirect, 404) wins."""
    with fragment_cache():
        report = Publisher(site).publish(expand(set(addresses)))
    for hostname, path, error in report.failed:
        logger.error("Publishing %s%s failed: %s", hostname, path, error)
    if report.paths:
        files_changed.send(sender=Publisher, site=site, paths=sorted(report.paths))
    return report


# --- full rebuilds ---------------------------------------------------------------------------
def site_paths(site: Site) -> list[str]:
    """Every address of the site in every version, sorted (so a chunk holds neighbouring articles
    of one column). Walks every page: once per rebuild, with the run's lookups shared."""
    with fragment_cache():
        return expand(set(site_addresses(site)))


def _state_file(site: Site) -> Path:
    return public_root() / ".state" / f"{site.hostname}.done"


def _render_chunk(job: tuple[int, list[str]]) -> tuple[list[str], Report]:
    site_id, paths = job
    return paths, render_chunk(Site.objects.get(pk=site_id), paths)


def render_chunk(site: Site, paths: list[str]) -> Report:
    """Render one chunk of a full rebuild (a pool process of `publish --processes`, or a worker's
    rebuild_chunk_task): the chunk's articles are read in bulk and share their chrome."""
    with fragment_cache(bulk=True):
        return Publisher(site).publish(paths)


def rebuild_chunks(site: Site, size: int = CHUNK) -> tuple[list[str], list[list[str]]]:
    """Every address of the site, and the same split in chunks of `size` neighbouring addresses."""
    mark_default_site()
    paths = site_paths(site)
    return paths, [paths[i : i + size] for i in range(0, len(paths), size)]


def finish_rebuild(site: Site, all_paths: set[str], complete: bool) -> int:
    """The last step of a full rebuild, once every chunk is rendered: remove the files of addresses
    the site no longer has (only after a complete rebuild), write the redirect map. Files removed."""
    removed = remove_stale_files(site, all_paths) if complete else 0
    write_redirect_map(site)  # the site's Wagtail redirects, with its pages' current addresses
    files_changed.send(sender=Publisher, site=site, paths=None)  # the whole site may have changed
    return removed


def rebuild_site(
    site: Site,
    jobs: int = 1,
    resume: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Render every address of `site`, in `jobs` processes; resumable after an interruption."""
    mark_default_site()
    state = _state_file(site)
    state.parent.mkdir(parents=True, exist_ok=True)
    done = set(state.read_text().split("\n")) if resume and state.exists() else set()
    if not resume:
        state.write_text("")
    all_paths = site_paths(site)
    paths = [path for path in all_paths if path not in done]
    chunks = [(site.pk, paths[i : i + CHUNK]) for i in range(0, len(paths), CHUNK)]
    report = Report()
    finished = 0
    with state.open("a") as log:

        def record(result: tuple[list[str], Report]) -> None:
            nonlocal finished
            chunk_paths, chunk_report = result
            report.merge(chunk_report)
            failed = {path for _, path, _ in chunk_report.failed}
            log.write("".join(p + "\n" for p in chunk_paths if p not in failed))
            log.flush()
            finished += len(chunk_paths)
            if progress:
                progress(finished, len(paths))

        if jobs <= 1 or len(chunks) <= 1:
            for chunk in chunks:
                record(_render_chunk(chunk))
        else:
            connections.close_all()  # each worker process opens its own connection
            with get_context("fork").Pool(jobs) as pool:
                for result in pool.imap_unordered(_render_chunk, chunks):
                    record(result)
    if not report.failed:
        state.unlink(missing_ok=True)
    report.removed += finish_rebuild(site, set(all_paths), complete=not report.failed and not resume)
    return report


def remove_stale_files(site: Site, expected_paths: set[str]) -> int:
    """Delete published files whose address the site no longer has (after a full rebuild)."""
    root = site_dir(site.hostname)
    expected = {relative_file(path) for path in expected_paths}
    removed = 0
    for file in root.rglob("*"):
        if not file.is_file():
            continue
        rel = file.relative_to(root).as_posix()
        if file.name.startswith("."):  # a status file (410, redirect) stands for its address's file
            rel = file_of_status_file(rel) or ""
            if not rel:
                continue
        elif file.suffix not in COMPRESSIBLE_SUFFIXES:
            continue
        if rel not in expected:
            removed += remove_file(root / rel)
    return removed


# --- background rebuilds -----------------------------------------------------------------------
def schedule_rebuild(site: Site) -> None:
    """Rebuild a whole site soon; several requests for the same site coalesce into one task."""
    from govsite.core.background import enqueue_once

    from .tasks import rebuild_site_task

    enqueue_once(rebuild_site_task, site.pk)


def wait_for_background_jobs() -> None:
    """Run the queued rebuilds (and other queued tasks) now, in this process (tests, scripts)."""
    from govsite.core.background import run_queued_tasks

    run_queued_tasks()
