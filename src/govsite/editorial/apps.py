from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "govsite.editorial"
    label = "govsite_editorial"
    verbose_name = "编辑工作台"

    def ready(self) -> None:
        from govsite.core.background import on_the_clock

        from . import signal_handlers  # noqa: F401
        from .tasks import stale_column_reminders_task

        on_the_clock(stale_column_reminders_task, every_seconds=24 * 3600)
