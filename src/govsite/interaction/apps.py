from django.apps import AppConfig


class InteractionConfig(AppConfig):
    name = "govsite.interaction"
    label = "govsite_interaction"
    verbose_name = "互动交流"

    def ready(self) -> None:
        from govsite.core.background import on_the_clock

        from . import signal_handlers  # noqa: F401
        from .tasks import message_alerts_task

        on_the_clock(message_alerts_task, every_seconds=24 * 3600)
