from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "govsite.disclosure"
    label = "govsite_disclosure"
    verbose_name = "依申请公开"

    def ready(self) -> None:
        from . import signal_handlers  # noqa: F401
