"""The 找错 admin (menu item for handlers, URLs, audit actions) and the account page's 我的纠错."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views
from .access import handler_sites
from .models import PublicAccount
from .sections import ACCOUNT_SECTIONS_HOOK, AccountSection


@hooks.register("register_admin_urls")
def register_admin_urls() -> list[Any]:
    return [path("error-reports/", include((admin_views.urlpatterns, "govsite_citizens")))]


class HandlerMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return handler_sites(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_menu_item() -> MenuItem:
    return HandlerMenuItem("网站找错", reverse("govsite_citizens:reports"), icon_name="warning", order=360)


@hooks.register("register_log_actions")
def register_log_actions(actions_registry: Any) -> None:
    for action, label, message in [
        ("submit", "收到网站找错", "收到我为政府网站找错"),
        ("viewed", "查看网站找错", "查看了纠错详情（含联系方式）"),
        ("accepted", "受理网站找错", "受理"),
        ("fixed", "网站找错已修正", "已修正并答复"),
        ("rejected", "网站找错不予采纳", "不予采纳并说明理由"),
    ]:
        actions_registry.register_action(f"govsite.citizens.{action}", label, message)


@hooks.register(ACCOUNT_SECTIONS_HOOK)
def my_error_reports(request: HttpRequest, account: PublicAccount) -> AccountSection:
    items = list(account.error_reports.select_related("site")[:100])
    return AccountSection(
        order=50, title="我的纠错", template="citizens/my_reports.html", context={"items": items}
    )
