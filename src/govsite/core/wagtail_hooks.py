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


class AuditMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm(admin_views.VIEW))


@hooks.register("register_settings_menu_item")
def register_menu_item() -> MenuItem:
    return AuditMenuItem("审计记录", reverse("govsite_audit:list"), icon_name="list-ul", order=900)


class JobsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm(worker_views.PERMISSION))


@hooks.register("register_settings_menu_item")
def register_jobs_menu_item() -> MenuItem:
    return JobsMenuItem("后台任务", reverse("govsite_jobs:list"), icon_name="cogs", order=910)
