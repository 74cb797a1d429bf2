"""The platform core's admin: the audit administrator's 审计记录 screen (core/admin_views.py) and the
system administrator's 后台任务 page (core/worker_views.py)."""

from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views, worker_views


@hooks.register("register_admin_urls")
def register_admin_urls() -> list[Any]:
    return [
        path("audit/", include((admin_views.urlpatterns, "govsite_audit"))),
        path("jobs/", include((worker_views.urlpatterns, "govsite_jobs"))),
    ]


class PermissionMenuItem(MenuItem):
    """A menu item shown only to users who hold `permission` (the page behind it checks it again)."""

    def __init__(self, *args: Any, permission: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm(self.permission))


@hooks.register("register_settings_menu_item")
def register_menu_item() -> MenuItem:
    return PermissionMenuItem(
        "审计记录", reverse("govsite_audit:list"), icon_name="list-ul", order=900, permission=admin_views.VIEW
    )


@hooks.register("register_settings_menu_item")
def register_jobs_menu_item() -> MenuItem:
    url, permission = reverse("govsite_jobs:list"), worker_views.PERMISSION
    return PermissionMenuItem("后台任务", url, icon_name="cogs", order=910, permission=permission)
