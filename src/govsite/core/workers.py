"""Durable background work across machines: worker heartbeats, the reaper, retries, progress.

django-tasks-db claims each queued row once (SELECT … FOR UPDATE SKIP LOCKED), however many
`govsite worker` processes run on however many machines. What it lacks, this module adds:

- **liveness**: each worker records a heartbeat (WorkerHeartbeat: id, host, pid, last seen) every
  GOVSITE_WORKER_HEARTBEAT_SECONDS from a thread of its own. The reaper (run by every worker at each
  heartbeat and by `govsite scheduler` at each tick) puts a RUNNING task whose worker's heartbeat is
  older than GOVSITE_WORKER_LEASE_SECONDS back to READY, or FAILED after its maximum attempts: a job
  whose worker died (kill -9, power cut) is picked up again by another worker.
- **retries**: `retry_policy(task, attempts, backoff_seconds)` lets a task that failed be queued again
  (backoff doubling per attempt) until its attempts are spent. Only idempotent tasks get a policy.
- **progress**: a running task calls `report_progress(done, total)`; the 后台任务 admin page shows it.

An attempt is a claim: django-tasks-db appends the worker's id to the row's `worker_ids` each time,
so `len(worker_ids)` is the number of attempts so far.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
import os
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks.base import Task
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, get_date_max
from django_tasks_db.utils import exclusive_transaction

from .models import TaskProgress, WorkerHeartbeat

logger = logging.getLogger("govsite.workers")
LOST = "govsite.core.workers.WorkerLost"


class WorkerLost(Exception):
    """Recorded as a task's error when its worker stopped answering and its attempts are spent."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int  # in all, the first run included
    backoff_seconds: float  # before the second attempt; doubled before each next one

    def delay(self, attempts_made: int) -> float:
        return float(self.backoff_seconds * 2 ** max(attempts_made - 1, 0))


_POLICIES: dict[str, RetryPolicy] = {}


def retry_policy(task: Task[..., Any], attempts: int = 3, backoff_seconds: float = 10.0) -> None:
    """Retry `task` after a failure (any Exception) until `attempts` runs failed. Call it beside the
    task's definition; only for idempotent tasks (running twice leaves the same result)."""
    _POLICIES[task.module_path] = RetryPolicy(attempts, backoff_seconds)


def policy_of(task_path: str) -> RetryPolicy:
    """A task's policy; a task without one runs once, but is run again (up to
    GOVSITE_TASK_MAX_ATTEMPTS) when its worker dies or is stopped under it."""
    return _POLICIES.get(task_path, RetryPolicy(1, 0.0))


def max_attempts_when_lost(task_path: str) -> int:
    return max(policy_of(task_path).attempts, settings.GOVSITE_TASK_MAX_ATTEMPTS)


# --- progress ----------------------------------------------------------------------------------
_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("govsite_task", default=None)
_last_report: dict[str, float] = {}


def report_progress(done: int, total: int, every_seconds: float = 1.0) -> None:
    """Record how far the running task has got (at most once a second, and at the end); a no-op
    outside a worker (the immediate backend, `govsite publish`)."""
    result_id = _current.get()
    if result_id is None:
        return
    now = time.monotonic()
    if done < total and now - _last_report.get(result_id, 0.0) < every_seconds:
        return
    _last_report[result_id] = now
    TaskProgress.objects.update_or_create(result_id=result_id, defaults={"done": done, "total": total})


# --- the worker --------------------------------------------------------------------------------
class RetryingWorker(Worker):
    """django-tasks-db's worker, with the retry policies and the progress of the running task."""

    def run_task(self, db_task_result: DBTaskResult[..., Any]) -> None:
        token = _current.set(str(db_task_result.pk))
        try:
            super().run_task(db_task_result)
        finally:
            _current.reset(token)
            _last_report.pop(str(db_task_result.pk), None)
        if db_task_result.status == TaskResultStatus.FAILED:
            retry_if_allowed(db_task_result)


def retry_if_allowed(row: DBTaskResult[..., Any]) -> bool:
    """Queue a failed task again if its policy allows another attempt: an Exception under the
    task's policy, or the worker being stopped (SystemExit, KeyboardInterrupt) under any task."""
    attempts = len(row.worker_ids)
    stopped = row.exception_class_path in ("builtins.SystemExit", "builtins.KeyboardInterrupt")
    policy = policy_of(row.task_path)
    if stopped:
        allowed, delay = attempts < max_attempts_when_lost(row.task_path), 0.0
    else:
        try:
            error = import_string(row.exception_class_path)
        except ImportError:
            error = Exception
        is_error = isinstance(error, type) and issubclass(error, Exception)
        allowed, delay = is_error and attempts < policy.attempts, policy.delay(attempts)
    if not allowed:
        return False
    requeue(row, run_after=timezone.now() + dt.timedelta(seconds=delay) if delay else None)
    logger.warning("Task %s (%s) failed on attempt %d: queued again", row.pk, row.task_path, attempts)
    return True


def requeue(row: DBTaskResult[..., Any], run_after: dt.datetime | None = None, fresh: bool = False) -> None:
    """Put a task back in the queue (its last error is kept until it succeeds). `fresh` forgets its
    attempts (an operator's 重新排队)."""
    changes: dict[str, Any] = {
        "status": TaskResultStatus.READY,
        "run_after": run_after or get_date_max(),
        "finished_at": None,
    }
    if fresh:
        changes["worker_ids"] = []
    DBTaskResult.objects.filter(pk=row.pk).update(**changes)
    for name, value in changes.items():
        setattr(row, name, value)


class HeartbeatWorker(RetryingWorker):
    """`govsite worker`: a RetryingWorker that reports its heartbeat and reaps lost tasks."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._stop = threading.Event()
        self._beats = threading.Thread(target=self._beat_forever, name="heartbeat", daemon=True)

    def run(self) -> None:
        beat(self.worker_id, started=True)
        self._beats.start()
        try:
            super().run()
        finally:
            self._stop.set()
            self._beats.join(timeout=5)
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()

    def _beat_forever(self) -> None:
        interval = settings.GOVSITE_WORKER_HEARTBEAT_SECONDS
        try:
            while not self._stop.wait(interval):
                try:
                    beat(self.worker_id)
                    reap_lost_tasks()
                except Exception:  # the database is away for a moment: try at the next beat
                    logger.exception("Heartbeat of %s failed", self.worker_id)
        finally:
            connection.close()  # this thread's own connection


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"[-64:]


def beat(worker_id: str, started: bool = False) -> None:
    """Record that the worker is alive now (a new row when it starts, or when a reaper forgot it)."""
    now = timezone.now()
    if not started and WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen=now):
        return
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": now,
            "last_seen": now,
        },
    )


# --- the reaper --------------------------------------------------------------------------------
def reap_lost_tasks(now: dt.datetime | None = None) -> int:
    """Take back the RUNNING tasks of workers whose heartbeat is older than the lease: READY again,
    or FAILED once their attempts are spent. Rows are locked (SKIP LOCKED), so two reapers never
    take the same task back twice. Tasks of workers without heartbeats (`db_worker`, the inline
    worker of tests and commands) are never reaped. Returns how many were taken back."""
    now = now or timezone.now()
    lease = dt.timedelta(seconds=settings.GOVSITE_WORKER_LEASE_SECONDS)
    lost = set(WorkerHeartbeat.objects.filter(last_seen__lt=now - lease).values_list("worker_id", flat=True))
    if not lost:
        return 0
    reaped = 0
    running = DBTaskResult.objects.running()
    with exclusive_transaction(running.db):
        for row in running.select_for_update(skip_locked=True).order_by():
            if not row.worker_ids or row.worker_ids[-1] not in lost:
                continue
            reaped += 1
            if len(row.worker_ids) < max_attempts_when_lost(row.task_path):
                requeue(row)
                logger.warning("Task %s of lost worker %s queued again", row.pk, row.worker_ids[-1])
                continue
            row.status = TaskResultStatus.FAILED
            row.finished_at = now
            row.exception_class_path = LOST
            row.traceback = f"工作进程 {row.worker_ids[-1]} 失联，已尝试 {len(row.worker_ids)} 次，不再重试。"
            row.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
        # A lost worker with nothing left running is forgotten after a day (the page shows it till then).
        gone = now - dt.timedelta(days=1)
        WorkerHeartbeat.objects.filter(worker_id__in=lost, last_seen__lt=gone).delete()
    return reaped


def inline_worker(backend: str) -> RetryingWorker:
    """A worker that runs what is queued in this process and returns (tests, commands)."""
    return RetryingWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=backend,
        startup_delay=False,
        max_tasks=None,
        worker_id="govsite-inline",
        excluded_queue_names=[],
    )
