"""Background work on django-tasks: enqueue a task once, and run what is queued (tests, commands).

Tasks live in each app's `tasks.py`. The embedded default backend is django-tasks-db's database
backend (settings.TASKS): a queued task is a row, so it survives a restart of the server or the
worker, and `govsite worker` claims each row once, however many worker processes run on however
many machines (core/workers.py: heartbeats, the reaper of lost tasks, retries, progress).
"""

from __future__ import annotations

import logging
import time
import zlib
from dataclasses import dataclass
from typing import Any

from django.db import connections, transaction
from django_tasks import TaskResult, TaskResultStatus
from django_tasks.base import Task

logger = logging.getLogger(__name__)


def uses_database(task: Task[..., Any]) -> bool:
    from django_tasks_db import DatabaseBackend

    return isinstance(task.get_backend(), DatabaseBackend)


def enqueue_once(task: Task[..., Any], *args: Any) -> TaskResult[Any] | None:
    """Enqueue `task(*args)` unless the same call is already queued and not yet started.

    Several changes in a row (a column renamed, then the footer edited) then cost one rebuild.
    A task that is already running does not count: it may have read the data before the change.
    The check and the insert are one transaction, serialised per task on PostgreSQL by an advisory
    lock (SQLite's IMMEDIATE transactions serialise all writers anyway). None if it was queued.
    """
    if not uses_database(task):
        return task.enqueue(*args)
    using = ready_calls(task).db
    with transaction.atomic(using=using):
        if repr(list(args)) in queued_calls(task):
            logger.debug("%s%r is already queued", task.name, args)
            return None
        return task.enqueue(*args)


def enqueue_each_once(task: Task[..., Any], calls: list[tuple[Any, ...]]) -> int:
    """`enqueue_once` for many calls (a bulk build's uploads): the queue is read once, not per call.
    Returns how many were queued."""
    if not uses_database(task):
        for args in calls:
            task.enqueue(*args)
        return len(calls)
    count = 0
    with transaction.atomic(using=ready_calls(task).db):
        seen = queued_calls(task)
        for args in calls:
            if repr(list(args)) not in seen:
                seen.add(repr(list(args)))
                task.enqueue(*args)
                count += 1
    return count


def ready_calls(task: Task[..., Any]) -> Any:
    """The task's calls queued and not yet started (a DBTaskResult queryset)."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY,
        backend_name=task.get_backend().alias,
        task_path=task.module_path,
        queue_name=task.queue_name,
    )


def queued_calls(task: Task[..., Any]) -> set[str]:
    """The argument lists (as repr) of the task's queued calls, read inside the caller's transaction
    after a per-task lock on PostgreSQL (SQLite's IMMEDIATE transactions serialise all writers)."""
    queued = ready_calls(task)
    connection = connections[queued.db]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(task.module_path.encode())])
    return {
        repr(row.args_kwargs.get("args"))
        for row in queued.only("args_kwargs")
        if not row.args_kwargs.get("kwargs")
    }


@dataclass
class ClockTask:
    """A task `govsite scheduler` queues every `every_seconds` (and once when it starts)."""

    task: Task[..., Any]
    every_seconds: float
    last_queued: float | None = None


_CLOCK: dict[str, ClockTask] = {}


def on_the_clock(task: Task[..., Any], every_seconds: float) -> None:
    """Have the platform clock queue `task` periodically (call it from an AppConfig.ready): apps of a
    layer the scheduler may not import (disclosure) join the clock without it knowing them."""
    _CLOCK.setdefault(task.module_path, ClockTask(task, every_seconds))


def queue_clock_tasks(now: float | None = None) -> None:
    """Queue each registered task whose interval has passed in this process (django-tasks has no
    periodic tasks); a task already waiting for the worker is not queued again."""
    from .workers import reap_lost_tasks

    reap_lost_tasks()  # the clock also takes back the tasks of workers that died
    now = time.monotonic() if now is None else now
    for entry in _CLOCK.values():
        if entry.last_queued is None or now - entry.last_queued >= entry.every_seconds:
            enqueue_once(entry.task)
            entry.last_queued = now


def run_queued_tasks(backend: str = "default") -> None:
    """Run every queued task of the database backend now, in this process (`worker --batch`).

    For tests and for commands that must finish what they queued; a no-op on other backends,
    which ran their tasks when they were enqueued.
    """
    from django_tasks import task_backends
    from django_tasks_db import DatabaseBackend

    from .workers import inline_worker

    if not isinstance(task_backends[backend], DatabaseBackend):
        return
    inline_worker(backend).run()
