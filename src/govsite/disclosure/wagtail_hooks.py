"""The 依申请公开 admin: menu item for handlers, URLs, and the audit log's action names."""

from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from govsite.citizens.models import PublicAccount
from govsite.citizens.sections import ACCOUNT_SECTIONS_HOOK, AccountSection

from . import admin_views
from .access import handler_sites


@hooks.register("register_admin_urls")
def register_admin_urls() -> list[Any]:
    return [path("disclosure/", include((admin_views.urlpatterns, "govsite_disclosure")))]


class HandlerMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return handler_sites(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_menu_item() -> MenuItem:
    return HandlerMenuItem("依申请公开", reverse("govsite_disclosure:list"), icon_name="mail", order=350)


@hooks.register("register_log_actions")
def register_log_actions(actions_registry: Any) -> None:
    for action, label, message in [
        ("submit", "收到依申请公开", "收到政府信息公开申请"),
        ("viewed", "查看依申请公开", "查看了申请详情（含个人信息）"),
        ("file_viewed", "查看申请人证件", "查看了申请人证件附件"),
        ("supplement_requested", "补正告知", "发出补正告知"),
        ("supplement_received", "收到补正", "收到补正材料，答复期限重新计算"),
        ("abandoned", "视为放弃", "逾期未补正，视为放弃申请"),
        ("consultation_started", "征求第三方意见", "开始征求第三方意见（不计入答复期限）"),
        ("consultation_ended", "收到第三方意见", "第三方意见已收到，答复期限继续计算"),
        ("extended", "延期答复", "经批准延期答复"),
        ("replied", "答复", "作出答复"),
    ]:
        actions_registry.register_action(f"govsite.disclosure.{action}", label, message)


@hooks.register(ACCOUNT_SECTIONS_HOOK)
def my_cases(request: HttpRequest, account: PublicAccount) -> AccountSection:
    """我的申请: the cases the person submitted while signed in (status only; details need the query code)."""
    items = list(account.disclosure_requests.select_related("site")[:100])
    return AccountSection(
        order=20, title="我的申请", template="disclosure/my_cases.html", context={"items": items}
    )
