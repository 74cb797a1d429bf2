"""Real `govsite worker` processes on the PostgreSQL test database: two share a full site rebuild, one
is killed (-9) mid-rebuild and the other takes its chunk back and finishes, byte-identical to a rebuild
in one process; a failing task is retried by the workers, then FAILED. PostgreSQL pass only (marker
`postgresql`): SQLite's test database is in memory, out of the workers' reach."""

import os
import shutil
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from wagtail.models import Site

from govsite.core.models import WorkerHeartbeat
from govsite.publishing.jobs import rebuild_site, schedule_rebuild, site_paths
from govsite.publishing.layout import public_root, site_dir
from govsite.testing import running

pytestmark = [pytest.mark.postgresql, pytest.mark.usefixtures("committed_db")]
CHUNK_TASK = "govsite.publishing.tasks.rebuild_chunk_task"
FINISH_TASK = "govsite.publishing.tasks.finish_rebuild_task"


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def database_url() -> str:
    db = connection.settings_dict
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{host}/{db['NAME']}"


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


def process_env(**extra: str) -> dict[str, str]:
    """The environment of a `govsite` process on the test session's database, files and settings
    (worker_settings: the database task backend); worker lease 3 s."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "govsite.core.tests.worker_settings",
        "DATABASE_URL": database_url(),
        "GOVSITE_SESSION_DIR": str(Path(settings.MEDIA_ROOT).parent),  # settings_test: its directory/media
        "GOVSITE_PUBLIC_DIR": str(public_root()),
        "GOVSITE_WORKER_HEARTBEAT_SECONDS": "0.5",
        "GOVSITE_WORKER_LEASE_SECONDS": "3",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


@contextmanager
def worker_processes(names: list[str], log_dir: Path, **extra: str) -> Iterator[dict[str, object]]:
    """`govsite worker` processes on the test database (lease 3 s), by worker id, running until the end."""
    env = process_env(**extra)
    with ExitStack() as stack:
        procs: dict[str, object] = {}
        for name in names:
            cmd = [sys.executable, "-m", "govsite", "worker", "--worker-id", name, "--no-reload"]
            cmd += ["--interval", "0.2", "--no-startup-delay", "-v", "1"]
            procs[name] = stack.enter_context(running(cmd, env, 0, log_dir / f"{name}.log"))
        # Its own workers' heartbeats: a worker killed by an earlier test leaves its row (shown as lost).
        mine = WorkerHeartbeat.objects.filter(worker_id__in=names)
        wait_for(lambda: mine.count() == len(names), 120, "the workers' heartbeats")
        yield procs


@pytest.fixture
def workers(small_site: Site, tmp_path: Path, database_tasks: None) -> Iterator[dict[str, object]]:
    """Two worker processes; a rebuild in chunks of an eighth of the site."""
    chunk = max(len(site_paths(small_site)) // 8, 1)
    with worker_processes(["worker-a", "worker-b"], tmp_path, GOVSITE_REBUILD_CHUNK=str(chunk)) as procs:
        yield procs


def test_a_killed_worker_s_chunk_is_finished_by_the_other_worker(
    small_site: Site, workers: dict[str, object]
) -> None:
    procs = workers
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


def test_a_failing_task_is_retried_by_the_workers_then_failed(tmp_path: Path, database_tasks: None) -> None:
    """The retry policy holds across processes: three attempts (any worker), then FAILED."""
    from govsite.core.tests.test_workers import flaky_task

    with worker_processes(["worker-c", "worker-d"], tmp_path):
        result = flaky_task.enqueue(99)
        row = DBTaskResult.objects.filter(pk=result.id)
        wait_for(lambda: row.get().status == TaskResultStatus.FAILED, 120, "the task to fail for good")
    failed = row.get()
    assert len(failed.worker_ids) == 3 and set(failed.worker_ids) <= {"worker-c", "worker-d"}
    assert failed.exception_class_path.endswith("test_workers.Flaky") and "次失败" in failed.traceback
