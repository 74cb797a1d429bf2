from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "govsite.disclosure"
    label = "govsite_disclosure"
    verbose_name = "依申请公开"

    def ready(self) -> None:
        from govsite.core.background import on_the_clock

        from . import signal_handlers  # noqa: F401
        from .tasks import deadline_reminders_task

        on_the_clock(deadline_reminders_task, every_seconds=24 * 3600)
