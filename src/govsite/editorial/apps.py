from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "govsite.editorial"
    label = "govsite_editorial"
    verbose_name = "编辑工作台"

    def ready(self) -> None:
        from . import signal_handlers  # noqa: F401
