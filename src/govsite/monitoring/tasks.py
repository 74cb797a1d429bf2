"""Background work of the monitor (run by `govsite db_worker`, queued by `govsite scheduler`)."""

from django_tasks import task


@task()
def probe_sites_task() -> str:
    """Probe the home page of every site that is due (every GOVSITE_PROBE_INTERVAL_MINUTES)."""
    from django.conf import settings

    from .probes import due_sites, probe_sites

    if not settings.GOVSITE_PROBES:
        return "首页监测已关闭（GOVSITE_PROBES=0）"
    probes = probe_sites(due_sites())
    failed = sum(1 for probe in probes if not probe.ok)
    return f"首页监测 {len(probes)} 个站点，{failed} 个无法访问"


@task()
def check_links_task() -> str:
    """Check the outbound links that are due, at a polite rate (docs/monitoring.md)."""
    from .outbound import check_due_links

    return f"外部链接检测 {check_due_links()} 个"
