"""Benchmark a full site rebuild shared by `govsite worker` processes: 1 worker, then 2, same run.

    DATABASE_URL=postgres://… GOVSITE_VAR_DIR=/tmp/demo .venv/bin/python bench/rebuild_workers.py \\
        --site kjt.localhost --workers 1 2

Runs on an existing platform (migrate + `govsite demo`; PostgreSQL is the production setting, SQLite
works too). For each worker count: start that many `govsite worker` processes writing to a scratch
public directory (emptied first, so every file is written), queue publishing.tasks.rebuild_site_task,
and time it until finish_rebuild_task has written the redirect map (after an untimed warm-up rebuild,
and once the workers have drained what was already queued); addresses/s and the speed-up over one
worker. Rates in the same run compare; absolute numbers depend on the (shared) machine.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.settings")
os.environ["GOVSITE_TASK_BACKEND"] = "database"

import django

django.setup()

from django.utils import timezone  # noqa: E402
from django_tasks import TaskResultStatus  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402
from wagtail.models import Site  # noqa: E402

from govsite.core.models import WorkerHeartbeat  # noqa: E402
from govsite.publishing.jobs import site_paths  # noqa: E402
from govsite.publishing.tasks import rebuild_site_task  # noqa: E402

FINISH = "govsite.publishing.tasks.finish_rebuild_task"


def start_workers(count: int, public: Path, chunk: int) -> list[subprocess.Popen[bytes]]:
    env = {**os.environ, "GOVSITE_PUBLIC_DIR": str(public), "GOVSITE_REBUILD_CHUNK": str(chunk)}
    procs = []
    for n in range(count):
        cmd = [sys.executable, "-m", "govsite", "worker", "--worker-id", f"bench-{n}", "--no-reload"]
        cmd += ["--interval", "0.1", "--no-startup-delay", "-v", "0"]
        procs.append(subprocess.Popen(cmd, env=env, start_new_session=True))
    deadline = time.monotonic() + 120
    while WorkerHeartbeat.objects.filter(worker_id__startswith="bench-").count() < count:
        if time.monotonic() > deadline:
            raise SystemExit("the workers did not start")
        time.sleep(0.2)
    return procs


def stop_workers(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def queue_empty() -> bool:
    return not DBTaskResult.objects.ready().exists() and not DBTaskResult.objects.running().exists()


def timed_rebuild(site: Site, workers: int, public: Path, chunk: int) -> float:
    """Start the workers, let them drain what is already queued (the demo's indexing), then time one
    full rebuild from the moment it is queued until its finishing step has run."""
    shutil.rmtree(public, ignore_errors=True)
    public.mkdir(parents=True)
    procs = start_workers(workers, public, chunk)
    try:
        while not queue_empty():
            time.sleep(0.2)
        since = timezone.now()
        started = time.monotonic()
        rebuild_site_task.enqueue(site.pk)
        finished = DBTaskResult.objects.filter(task_path=FINISH, enqueued_at__gte=since)
        while (
            not finished.filter(status=TaskResultStatus.SUCCESSFUL)
            .exclude(return_value__contains="等待")
            .exists()
        ):
            if DBTaskResult.objects.filter(status=TaskResultStatus.FAILED, enqueued_at__gte=since).exists():
                raise SystemExit("a rebuild task failed: see the 后台任务 page")
            time.sleep(0.1)
        return time.monotonic() - started
    finally:
        stop_workers(procs)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--site", default="kjt.localhost")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--chunk", type=int, default=200, help="addresses per chunk task")
    args = parser.parse_args()
    site = Site.objects.get(hostname=args.site)
    addresses = len(site_paths(site))
    print(f"{args.site}: {addresses} addresses, chunks of {args.chunk}, {os.cpu_count()} cores")
    base = None
    with tempfile.TemporaryDirectory(prefix="rebuild-workers-") as scratch:
        # warm-up, not timed: image renditions, the fragment cache, the database's caches
        warm = timed_rebuild(site, max(args.workers), Path(scratch) / "public", args.chunk)
        print(f"warm-up with {max(args.workers)} worker(s): {warm:.1f} s")
        for count in args.workers:
            seconds = timed_rebuild(site, count, Path(scratch) / "public", args.chunk)
            rate = addresses / seconds
            base = base or rate
            print(f"{count} worker(s): {seconds:.1f} s, {rate:.1f} addresses/s, ×{rate / base:.2f}")


if __name__ == "__main__":
    main()
