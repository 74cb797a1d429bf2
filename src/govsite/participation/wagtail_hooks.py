"""The 征集调查 admin: menu item for handlers, URLs, and the audit log's action names."""

from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views
from .access import handler_sites


@hooks.register("register_admin_urls")
def register_admin_urls() -> list[Any]:
    return [path("participation/", include((admin_views.urlpatterns, "govsite_participation")))]


class HandlerMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return handler_sites(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_menu_item() -> MenuItem:
    return HandlerMenuItem("征集调查", reverse("govsite_participation:index"), icon_name="list-ul", order=360)


@hooks.register("register_log_actions")
def register_log_actions(actions_registry: Any) -> None:
    for action, label, message in [
        ("viewed", "查看公众提交内容", "查看了提交内容（含个人信息）"),
        ("handled", "处理征集意见", "记录了意见的采纳情况"),
        ("moderated", "审核访谈提问", "审核了网友提问"),
        ("results_viewed", "查看调查答卷", "查看了调查结果和文字回答"),
        ("exported", "导出征集调查数据", "导出了 Excel"),
    ]:
        actions_registry.register_action(f"govsite.participation.{action}", label, message)
