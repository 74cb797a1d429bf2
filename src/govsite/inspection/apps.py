from django.apps import AppConfig

NIGHTLY_SECONDS = 24 * 3600


class InspectionConfig(AppConfig):
    name = "govsite.inspection"
    label = "govsite_inspection"
    verbose_name = "网站体检"

    def ready(self) -> None:
        from govsite.core.background import on_the_clock

        from . import indicators  # noqa: F401 (registers every rule)
        from .tasks import nightly_inspection_task

        on_the_clock(nightly_inspection_task, every_seconds=NIGHTLY_SECONDS)
