"""Background tasks of delivery (run by `govsite db_worker`; the clock queues catch_up_task)."""

from django_tasks import task
from wagtail.models import Site


@task()
def deliver_site_task(site_id: int) -> str:
    """Push a site's new changesets to each of its targets."""
    from .service import deliver_site

    site = Site.objects.filter(pk=site_id).first()
    if site is None:
        return "站点已删除"
    return "；".join(str(outcome) for outcome in deliver_site(site)) or "没有发布目标"


@task()
def catch_up_task() -> str:
    """Retry every target that is behind: a node that was down catches up on its own."""
    from .service import catch_up

    return "；".join(str(outcome) for outcome in catch_up()) or "全部发布目标均已同步"


@task()
def prune_changesets_task() -> str:
    """Delete the changesets older than the retention (the clock queues this daily)."""
    from .service import prune

    return f"已清理 {prune()} 条发布变更记录"
