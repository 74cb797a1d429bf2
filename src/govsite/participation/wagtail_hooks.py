"""The 征集调查 admin: menu item for handlers, URLs, audit log action names, the dashboard reminder."""

from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from govsite.workdays.calendar import WorkdayCalendar

from . import admin_views, services
from .access import handler_sites, visible_pages


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


class AdoptionPanel(Component):
    """The dashboard's reminder of closed 征集 whose 采纳情况 is overdue (shown only when there are some)."""

    name = "participation-adoption"
    order = 40
    template_name = "participation/admin/adoption_panel.html"

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        return {"missing": self.missing, "due_days": services.ADOPTION_DUE_WORKDAYS}

    def render_html(self, parent_context: Any = None) -> str:
        if not handler_sites(self.request.user).exists():
            return ""
        self.missing = services.missing_adoptions(visible_pages(self.request.user), WorkdayCalendar.load())
        if not self.missing:
            return ""
        html: str = super().render_html(parent_context)
        return html


@hooks.register("construct_homepage_panels")
def adoption_panel(request: HttpRequest, panels: list[Any]) -> None:
    panels.append(AdoptionPanel(request))
