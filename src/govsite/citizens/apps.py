from django.apps import AppConfig


class CitizensConfig(AppConfig):
    name = "govsite.citizens"
    label = "govsite_citizens"
    verbose_name = "公众服务"

    def ready(self) -> None:
        from . import signal_handlers  # noqa: F401
