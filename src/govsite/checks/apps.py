from django.apps import AppConfig


class ChecksConfig(AppConfig):
    name = "govsite.checks"
    label = "govsite_checks"
    verbose_name = "发布前检查"

    def ready(self) -> None:
        from . import gate, signal_handlers  # noqa: F401
