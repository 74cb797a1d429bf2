from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class CoreConfig(AppConfig):
    default = True  # this module also holds GovsiteUsersConfig
    name = "govsite.core"
    label = "govsite_core"
    verbose_name = "平台核心"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model

        from . import checks, signal_handlers  # noqa: F401  (registers the checks, connects the handlers)
        from .background import on_the_clock
        from .names import full_name
        from .tasks import audit_head_task, audit_prune_task

        # Chinese names family name first, in every screen that shows a user (core/names.py).
        get_user_model().get_full_name = full_name  # type: ignore[method-assign,assignment]
        on_the_clock(audit_head_task, every_seconds=3600)
        on_the_clock(audit_prune_task, every_seconds=24 * 3600)


class GovsiteUsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin with 三员分立 on the user forms (core/user_admin.py)."""

    user_viewset = "govsite.core.user_admin.UserViewSet"
