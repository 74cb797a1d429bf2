"""Background work on django-tasks' database backend: queued once, kept, run once by a worker."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from wagtail.models import Site

from govsite.publishing import jobs
from govsite.publishing.publisher import Report

pytestmark = pytest.mark.django_db


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", "--no-reload", verbosity=0)


def test_a_queued_rebuild_is_kept_not_duplicated_and_run_once_by_the_worker(
    database_tasks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django_tasks_db.models import DBTaskResult

    rendered: list[tuple[str, list[str]]] = []
    finished: list[tuple[str, set[str], bool]] = []

    def rebuild_chunks(site: Site, size: int = 100) -> tuple[list[str], list[list[str]]]:
        return ["/", "/a/", "/b/"], [["/", "/a/"], ["/b/"]]

    def render_chunk(site: Site, paths: list[str]) -> Report:
        rendered.append((site.hostname, paths))
        return Report(written=len(paths))

    def finish_rebuild(site: Site, all_paths: set[str], complete: bool) -> int:
        finished.append((site.hostname, all_paths, complete))
        return 0

    monkeypatch.setattr(jobs, "rebuild_chunks", rebuild_chunks)
    monkeypatch.setattr(jobs, "render_chunk", render_chunk)
    monkeypatch.setattr(jobs, "finish_rebuild", finish_rebuild)
    site = Site.objects.get(hostname="kjt.localhost")
    jobs.schedule_rebuild(site)
    jobs.schedule_rebuild(site)  # a second change while the first rebuild waits: no second task
    jobs.schedule_rebuild(Site.objects.get(hostname="jyt.localhost"))
    queued = DBTaskResult.objects.filter(task_path="govsite.publishing.tasks.rebuild_site_task")
    assert queued.count() == 2
    assert set(queued.values_list("status", flat=True)) == {TaskResultStatus.READY}
    assert rendered == []  # nothing ran in the request: the rows wait for a worker

    run_worker()
    # each rebuild was split in chunk tasks, and finished once every chunk was rendered
    assert sorted(rendered) == sorted(
        (host, chunk) for host in ("jyt.localhost", "kjt.localhost") for chunk in (["/", "/a/"], ["/b/"])
    )
    assert sorted(finished) == [
        (host, {"/", "/a/", "/b/"}, True) for host in ("jyt.localhost", "kjt.localhost")
    ]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {TaskResultStatus.SUCCESSFUL}
    run_worker()  # a second worker run finds nothing left to do
    assert len(rendered) == 4 and len(finished) == 2

    jobs.schedule_rebuild(site)  # finished tasks do not hold back a new change
    assert queued.filter(status=TaskResultStatus.READY).count() == 1


def test_the_scheduler_queues_one_due_check_that_the_worker_runs(database_tasks: None) -> None:
    from datetime import timedelta

    from django_tasks_db.models import DBTaskResult

    from govsite.content.models import ArticlePage
    from govsite.workflow.scheduler import enqueue_check

    article = ArticlePage.objects.live().first()
    article.save_revision().publish()
    ArticlePage.objects.filter(pk=article.pk).update(expire_at=timezone.now() - timedelta(seconds=1))
    enqueue_check()
    enqueue_check()  # two schedulers (or a worker that was down): still one check waiting
    checks = DBTaskResult.objects.filter(task_path="govsite.workflow.tasks.publish_due_task")
    assert checks.filter(status=TaskResultStatus.READY).count() == 1
    assert ArticlePage.objects.get(pk=article.pk).live
    run_worker()
    assert not ArticlePage.objects.get(pk=article.pk).live
    assert checks.get().status == TaskResultStatus.SUCCESSFUL
