from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "govsite.participation"
    label = "govsite_participation"
    verbose_name = "征集调查与在线访谈"

    def ready(self) -> None:
        from . import signal_handlers  # noqa: F401
