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


@task()
def inspect_site_task(site_id: int, trigger: str = "manual") -> str:
    """One site's inspection, queued by the dashboard's 立即体检 (a site deleted meanwhile is skipped)."""
    from wagtail.models import Site

    from .runner import inspect_site, passed

    site = Site.objects.filter(pk=site_id).first()
    if site is None:
        return f"站点 {site_id} 已不存在"
    run = inspect_site(site, trigger)
    return f"{site.hostname}：{'合格' if passed(run) else '不合格'}"
