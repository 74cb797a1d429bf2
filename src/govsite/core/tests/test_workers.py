"""Durable background jobs (core/workers.py): retries, the reaper of lost tasks, the 后台任务 page."""

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from govsite.core.background import run_queued_tasks
from govsite.core.models import TaskProgress, WorkerHeartbeat
from govsite.core.workers import LOST, reap_lost_tasks, report_progress, retry_policy
from govsite.testing import demo_user, verified_client

pytestmark = [pytest.mark.django_db, pytest.mark.both_engines]
CALLS: list[str] = []


class Flaky(ConnectionError):
    """A transient failure (the mail server, the network)."""


@task()
def flaky_task(fail_times: int) -> str:
    CALLS.append("run")
    report_progress(len(CALLS), 10)
    if len(CALLS) <= fail_times:
        raise Flaky(f"第 {len(CALLS)} 次失败")
    return "好了"


@task()
def plain_task() -> str:
    return "完成"


retry_policy(flaky_task, attempts=3, backoff_seconds=0)


@pytest.fixture(autouse=True)
def fresh_calls() -> None:
    CALLS.clear()


def test_a_transient_failure_is_retried_until_the_task_succeeds(database_tasks: None) -> None:
    result = flaky_task.enqueue(2)
    run_queued_tasks()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL and row.return_value == "好了"
    assert len(CALLS) == 3 and len(row.worker_ids) == 3
    assert TaskProgress.objects.get(result_id=result.id).done == 3  # progress the task reported


def test_a_task_failing_every_attempt_ends_failed_after_its_attempts(database_tasks: None) -> None:
    result = flaky_task.enqueue(99)
    run_queued_tasks()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.FAILED
    assert len(CALLS) == 3 and len(row.worker_ids) == 3
    assert "第 3 次失败" in row.traceback


def test_retries_wait_for_their_backoff(database_tasks: None) -> None:
    retry_policy(flaky_task, attempts=2, backoff_seconds=600)
    try:
        result = flaky_task.enqueue(99)
        run_queued_tasks()  # the first attempt fails; the retry waits ten minutes
        row = DBTaskResult.objects.get(pk=result.id)
        assert row.status == TaskResultStatus.READY and len(CALLS) == 1
        assert row.run_after > timezone.now() + dt.timedelta(seconds=590)
    finally:
        retry_policy(flaky_task, attempts=3, backoff_seconds=0)


def claimed_by(worker_id: str, attempts: int = 1) -> DBTaskResult:
    row = DBTaskResult.objects.get(pk=plain_task.enqueue().id)
    for _ in range(attempts):
        row.claim(worker_id)
    return row


def test_the_task_of_a_worker_without_heartbeat_is_taken_back(database_tasks: None, settings) -> None:
    settings.GOVSITE_WORKER_LEASE_SECONDS = 60
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="dead", host="a", pid=1, started_at=now, last_seen=now)
    WorkerHeartbeat.objects.create(worker_id="alive", host="b", pid=2, started_at=now, last_seen=now)
    lost, spent = claimed_by("dead"), claimed_by("dead", attempts=3)
    busy, unknown = claimed_by("alive"), claimed_by("a-db_worker-without-heartbeat")

    assert reap_lost_tasks(now + dt.timedelta(seconds=30)) == 0  # within the lease: nobody is lost
    WorkerHeartbeat.objects.filter(worker_id="alive").update(last_seen=now + dt.timedelta(seconds=80))
    assert reap_lost_tasks(now + dt.timedelta(seconds=90)) == 2
    statuses = {row.pk: row.status for row in DBTaskResult.objects.all()}
    assert statuses[lost.pk] == TaskResultStatus.READY
    assert statuses[spent.pk] == TaskResultStatus.FAILED
    assert DBTaskResult.objects.get(pk=spent.pk).exception_class_path == LOST
    assert statuses[busy.pk] == statuses[unknown.pk] == TaskResultStatus.RUNNING

    run_queued_tasks()  # another worker picks the lost task up
    row = DBTaskResult.objects.get(pk=lost.pk)
    assert row.status == TaskResultStatus.SUCCESSFUL and row.worker_ids == ["dead", "govsite-inline"]


def test_the_jobs_page_shows_jobs_and_requeues_a_failed_one(database_tasks: None) -> None:
    failed = flaky_task.enqueue(99)
    run_queued_tasks()
    client = verified_client()
    client.force_login(demo_user("platform-admin"))
    response = client.get("/admin/jobs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "后台任务" in page and "flaky_task" in page and "重新排队" in page and "govsite-inline" in page

    response = client.post(f"/admin/jobs/{failed.id}/requeue/")
    assert response.status_code == 302
    row = DBTaskResult.objects.get(pk=failed.id)
    assert row.status == TaskResultStatus.READY and row.worker_ids == []


def test_the_jobs_page_is_refused_to_a_site_editor(database_tasks: None) -> None:
    failed = flaky_task.enqueue(99)
    run_queued_tasks()
    client = verified_client()
    client.force_login(demo_user("kjt-editor"))
    assert client.get("/admin/jobs/").status_code in (302, 403)
    assert client.post(f"/admin/jobs/{failed.id}/requeue/").status_code in (302, 403)
    assert DBTaskResult.objects.get(pk=failed.id).status == TaskResultStatus.FAILED
