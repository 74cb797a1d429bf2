from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "govsite.core"
    label = "govsite_core"
    verbose_name = "平台核心"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model

        from . import signal_handlers  # noqa: F401  (connects the handlers)
        from .names import full_name

        # Chinese names family name first, in every screen that shows a user (core/names.py).
        get_user_model().get_full_name = full_name  # type: ignore[method-assign,assignment]
