"""Two real `govsite worker` processes on the PostgreSQL test database share a full site rebuild; one
is killed (-9) mid-rebuild, the other takes its chunk back and finishes, byte-identical to a rebuild in
one process. PostgreSQL pass only (the `postgresql` marker): SQLite's test database is in memory."""

import os
import shutil
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from wagtail.models import Page, Site

from govsite.core.models import WorkerHeartbeat
from govsite.publishing.jobs import rebuild_site, schedule_rebuild, site_paths
from govsite.publishing.layout import public_root, site_dir
from govsite.testing import running

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]
CHUNK_TASK = "govsite.publishing.tasks.rebuild_chunk_task"
FINISH_TASK = "govsite.publishing.tasks.finish_rebuild_task"


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def database_url() -> str:
    db = connection.settings_dict
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{host}/{db['NAME']}"


@pytest.fixture
def small_site() -> Site:
    """The demo site with the fewest pages (the demo is built again if an earlier transactional test
    emptied the database)."""
    if not Site.objects.exists():
        from govsite.demo.builder import build_demo

        build_demo(port=80)
    return min(
        Site.objects.select_related("root_page"),
        key=lambda site: Page.objects.descendant_of(site.root_page, inclusive=True).count(),
    )


def wait_for(condition: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError(
        f"timed out waiting for {what}: {list(DBTaskResult.objects.values('task_path', 'status'))}"
    )


def rebuild_finished() -> bool:
    rows = DBTaskResult.objects.all()
    if rows.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]).exists():
        return False
    return (
        rows.filter(task_path=FINISH_TASK, status=TaskResultStatus.SUCCESSFUL)
        .exclude(return_value__contains="等待")
        .exists()
    )


@pytest.fixture
def workers(
    small_site: Site, tmp_path: Path, database_tasks: None
) -> Iterator[tuple[dict[str, object], int]]:
    """Two worker processes (lease 3 s), chunks of an eighth of the site; yields them by id."""
    chunk = max(len(site_paths(small_site)) // 8, 1)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "govsite.core.tests.worker_settings",
        "DATABASE_URL": database_url(),
        "GOVSITE_SESSION_DIR": str(settings.GOVSITE_TEST_DIR),
        "GOVSITE_PUBLIC_DIR": str(public_root()),
        "GOVSITE_WORKER_HEARTBEAT_SECONDS": "0.5",
        "GOVSITE_WORKER_LEASE_SECONDS": "3",
        "GOVSITE_REBUILD_CHUNK": str(chunk),
        "PYTHONUNBUFFERED": "1",
    }
    with ExitStack() as stack:
        procs: dict[str, object] = {}
        for name in ("worker-a", "worker-b"):
            cmd = [sys.executable, "-m", "govsite", "worker", "--worker-id", name, "--no-reload"]
            cmd += ["--interval", "0.2", "--no-startup-delay", "-v", "1"]
            procs[name] = stack.enter_context(running(cmd, env, 0, tmp_path / f"{name}.log"))
        wait_for(lambda: WorkerHeartbeat.objects.count() == 2, 120, "both workers' heartbeats")
        yield procs, chunk


def test_a_killed_worker_s_chunk_is_finished_by_the_other_worker(
    small_site: Site, workers: tuple[dict[str, object], int], tmp_path: Path
) -> None:
    procs, _chunk = workers
    # the reference: the same site rebuilt in this one process
    shutil.rmtree(public_root(), ignore_errors=True)
    report = rebuild_site(small_site)
    assert not report.failed, report.failed
    expected = files_of(site_dir(small_site.hostname))
    shutil.rmtree(public_root())

    schedule_rebuild(small_site)  # committed at once: the workers see it
    chunks = DBTaskResult.objects.filter(task_path=CHUNK_TASK)

    def worker_a_mid_chunk() -> bool:
        return (
            any(row.worker_ids[-1:] == ["worker-a"] for row in chunks.filter(status=TaskResultStatus.RUNNING))
            and chunks.filter(status=TaskResultStatus.SUCCESSFUL).exists()
        )

    wait_for(worker_a_mid_chunk, 300, "worker-a to be running a chunk mid-rebuild")
    os.killpg(procs["worker-a"].pid, signal.SIGKILL)  # type: ignore[attr-defined]
    taken = {
        row.pk for row in chunks.filter(status=TaskResultStatus.RUNNING) if row.worker_ids[-1] == "worker-a"
    }
    assert taken

    wait_for(rebuild_finished, 600, "worker-b to finish the rebuild")
    assert len(chunks) >= 6
    for row in chunks:
        assert row.status == TaskResultStatus.SUCCESSFUL
        if row.pk in taken:  # run again by the survivor once the lease expired, never side by side
            assert row.worker_ids == ["worker-a", "worker-b"]
        else:
            assert len(row.worker_ids) == 1
    assert files_of(site_dir(small_site.hostname)) == expected  # every file, byte for byte
