from django.apps import AppConfig
from django.conf import settings


class MonitoringConfig(AppConfig):
    name = "govsite.monitoring"
    label = "govsite_monitoring"
    verbose_name = "网站监测"

    def ready(self) -> None:
        from govsite.core.background import on_the_clock

        from .probes import CLOCK_TICKS
        from .tasks import check_links_task, probe_sites_task

        # The clock ticks at a fraction of the interval; `due_sites` decides which site is due, so a
        # restarted scheduler neither skips nor doubles a probe.
        on_the_clock(
            probe_sites_task, every_seconds=settings.GOVSITE_PROBE_INTERVAL_MINUTES * 60 / CLOCK_TICKS
        )
        on_the_clock(check_links_task, every_seconds=settings.GOVSITE_LINKCHECK_INTERVAL_MINUTES * 60)
