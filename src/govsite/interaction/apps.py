from django.apps import AppConfig


class InteractionConfig(AppConfig):
    name = "govsite.interaction"
    label = "govsite_interaction"
    verbose_name = "互动交流"

    def ready(self) -> None:
        from . import signal_handlers  # noqa: F401
