from django.apps import AppConfig
from django.conf import settings


class DeliveryConfig(AppConfig):
    name = "govsite.delivery"
    label = "govsite_delivery"
    verbose_name = "发布分发"

    def ready(self) -> None:
        from govsite.core.background import on_the_clock

        from . import signal_handlers  # noqa: F401
        from .tasks import catch_up_task, prune_changesets_task

        on_the_clock(catch_up_task, every_seconds=settings.GOVSITE_DELIVERY_RETRY_SECONDS)
        on_the_clock(prune_changesets_task, every_seconds=24 * 3600)
