"""The 留言办理 admin: menu item for handlers, URLs, the channel settings, the audit log's action names."""

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
    return [path("messages/", include((admin_views.urlpatterns, "govsite_interaction")))]


class HandlerMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return handler_sites(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_menu_item() -> MenuItem:
    return HandlerMenuItem("留言办理", reverse("govsite_interaction:list"), icon_name="comment", order=355)


@hooks.register("register_log_actions")
def register_log_actions(actions_registry: Any) -> None:
    for action, label, message in [
        ("submit", "收到留言", "收到公众留言"),
        ("viewed", "查看留言", "查看了留言详情（含个人信息）"),
        ("file_viewed", "查看留言附件", "下载了留言人上传的附件"),
        ("accepted", "受理", "受理留言"),
        ("rejected", "不予受理", "不予受理（理由已告知留言人）"),
        ("spam", "垃圾信息", "标记为垃圾信息"),
        ("transferred", "转办", "转办至其他单位"),
        ("reply_drafted", "拟答复", "拟写答复，提交审核"),
        ("reply_approved", "审核通过", "答复审核通过并发布"),
        ("reply_returned", "审核退回", "答复被退回修改"),
        ("closed", "办结", "办结"),
        ("rated", "满意度评价", "留言人评价了答复"),
        ("alert", "期限提醒", "发出办理期限提醒"),
    ]:
        actions_registry.register_action(f"govsite.interaction.{action}", label, message)


@hooks.register(ACCOUNT_SECTIONS_HOOK)
def my_messages(request: HttpRequest, account: PublicAccount) -> AccountSection:
    """我的留言: the messages sent while signed in (status only; the reply needs the query code)."""
    items = list(account.messages.select_related("channel")[:100])
    return AccountSection(
        order=30, title="我的留言", template="interaction/my_messages.html", context={"items": items}
    )
