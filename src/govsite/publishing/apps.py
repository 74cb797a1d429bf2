from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "govsite.publishing"
    label = "govsite_publishing"
    verbose_name = "静态化发布"

    def ready(self) -> None:
        from . import signal_handlers  # noqa: F401
