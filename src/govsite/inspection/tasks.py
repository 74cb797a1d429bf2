"""Background work of the inspection (run by `govsite db_worker`)."""

from django_tasks import task


@task()
def nightly_inspection_task() -> str:
    """Inspect every site and drop runs past the retention period; queued daily by the platform clock
    (`govsite scheduler`), so that the history the dashboard's trends read keeps growing by itself."""
    from wagtail.models import Site

    from .runner import RETENTION_DAYS, inspect_site, passed, prune_runs

    runs = [inspect_site(site, "nightly") for site in Site.objects.order_by("hostname")]
    pruned = prune_runs(RETENTION_DAYS)
    failed = sum(not passed(run) for run in runs)
    return f"体检 {len(runs)} 个站点，不合格 {failed} 个；清理过期记录 {pruned} 条"
