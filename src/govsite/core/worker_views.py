"""The 后台任务 admin page: queued, running and failed background jobs, their worker, attempts and
progress, with 重新排队 for a failed one (core/workers.py). Platform administrators only: the
系统管理员 role (govsite_core.manage_background_jobs) and superusers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from . import audit
from .models import TaskProgress, WorkerHeartbeat
from .workers import requeue

PERMISSION = "govsite_core.manage_background_jobs"
SHOWN = 200  # rows per status: the page is a console, not an archive
STATUS_LABELS = {
    TaskResultStatus.READY: "排队中",
    TaskResultStatus.RUNNING: "运行中",
    TaskResultStatus.FAILED: "失败",
    TaskResultStatus.SUCCESSFUL: "已完成",
}


@dataclass
class JobRow:
    job: DBTaskResult[..., Any]
    status_label: str
    worker: str
    attempts: int
    progress: TaskProgress | None


def check(request: HttpRequest) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def _rows(jobs: list[DBTaskResult[..., Any]]) -> list[JobRow]:
    progress = TaskProgress.objects.in_bulk([job.pk for job in jobs])
    return [
        JobRow(
            job,
            STATUS_LABELS.get(job.status, job.status),
            job.worker_ids[-1] if job.worker_ids else "—",
            len(job.worker_ids),
            progress.get(job.pk),
        )
        for job in jobs
    ]


def job_list(request: HttpRequest) -> HttpResponseBase:
    check(request)
    jobs = DBTaskResult.objects.order_by("-enqueued_at")
    sections = [
        (label, _rows(list(jobs.filter(status=status)[:SHOWN])))
        for status, label in STATUS_LABELS.items()
        if status != TaskResultStatus.SUCCESSFUL
    ]
    done = _rows(list(jobs.filter(status=TaskResultStatus.SUCCESSFUL).order_by("-finished_at")[:20]))
    lease = dt.timedelta(seconds=settings.GOVSITE_WORKER_LEASE_SECONDS)
    now = timezone.now()
    workers = [(w, now - w.last_seen <= lease) for w in WorkerHeartbeat.objects.order_by("host", "pid")]
    context: dict[str, Any] = {"sections": sections, "done": done, "workers": workers}
    return TemplateResponse(request, "core/admin/background_jobs.html", context)


@require_POST
def job_requeue(request: HttpRequest, job_id: str) -> HttpResponseBase:
    """Queue a failed job again, its attempts forgotten (the operator fixed the cause)."""
    check(request)
    job = get_object_or_404(DBTaskResult, pk=job_id)
    if job.status != TaskResultStatus.FAILED:
        messages.error(request, "只有失败的任务可以重新排队。")
        return redirect("govsite_jobs:list")
    requeue(job, fresh=True)
    audit.record(
        "job.requeue", request=request, object_type="后台任务", object_id=str(job.pk), label=job.task_name
    )
    messages.success(request, f"已重新排队：{job.task_name}")
    return redirect("govsite_jobs:list")


urlpatterns = [
    path("", job_list, name="list"),
    path("<uuid:job_id>/requeue/", job_requeue, name="requeue"),
]
