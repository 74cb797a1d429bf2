"""Wire the 编辑工作台 into the Wagtail admin: dashboard panels, 消息, 审批单, 稿件统计, and the warning when
an action would leave a column that must update empty (columns.py)."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.site_summary import SummaryItem
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.admin.widgets import Button
from wagtail.models import Page

from govsite.sites.models import admin_sites
from govsite.workflow.wagtail_hooks import REVIEWED_PAGE_TYPES

from . import views
from .columns import columns_left_empty, empty_column_warning
from .dashboard import PANELS, waiting_rows


@hooks.register("register_admin_urls")
def register_admin_urls() -> list[Any]:
    return [path("editorial/", include((views.urlpatterns, "govsite_editorial")))]


@hooks.register("construct_homepage_panels")
def editorial_panels(request: HttpRequest, panels: list[Any]) -> None:
    """Ours first (Wagtail's panels have orders from 210); 待我审核 replaces Wagtail's 待审 panel."""
    panels[:] = [p for p in panels if not isinstance(p, WorkflowObjectsToModeratePanel)]
    panels.extend(panel(request) for panel in PANELS)


class CountSummaryItem(SummaryItem):
    """One number in the dashboard's summary row, linking to its list."""

    template_name = "editorial/includes/summary_item.html"
    label = ""
    icon = ""
    url_name = ""

    def count(self) -> int:
        raise NotImplementedError

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        return {"count": self.count(), "label": self.label, "icon": self.icon, "url": reverse(self.url_name)}


class UnreadSummaryItem(CountSummaryItem):
    order = 50
    label = "条未读消息"
    icon = "mail"
    url_name = "govsite_editorial:messages"

    def count(self) -> int:
        return views.unread_count(self.request.user)


class WaitingSummaryItem(CountSummaryItem):
    order = 60
    label = "篇稿件待我审核"
    icon = "tasks"
    url_name = "govsite_workflow:my_reviews"

    def count(self) -> int:
        return len(waiting_rows(self.request.user, limit=100))


@hooks.register("construct_homepage_summary_items")
def editorial_summary_items(request: HttpRequest, items: list[Any]) -> None:
    items[:0] = [UnreadSummaryItem(request), WaitingSummaryItem(request)]


class MessagesMenuItem(MenuItem):
    """消息, with the number of unread messages in its label."""

    def render_component(self, request: HttpRequest) -> Any:
        unread = views.unread_count(request.user)
        label = f"消息（{unread} 条未读）" if unread else "消息"
        return LinkMenuItemComponent(self.name, label, self.url, icon_name=self.icon_name, attrs=self.attrs)


@hooks.register("register_admin_menu_item")
def messages_menu_item() -> MenuItem:
    return MessagesMenuItem(
        "消息", reverse("govsite_editorial:messages"), name="messages", icon_name="mail", order=90
    )


class StatisticsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return bool(admin_sites(request.user))


@hooks.register("register_reports_menu_item")
def statistics_menu_item() -> MenuItem:
    return StatisticsMenuItem(
        "稿件统计", reverse("govsite_editorial:statistics"), icon_name="table", order=50
    )


@hooks.register("register_page_header_buttons")
def approval_header_button(page: Page, user: Any, view_name: str, next_url: str | None = None) -> Any:
    if page.pk and page.depth > 2 and issubclass(page.specific_class or Page, REVIEWED_PAGE_TYPES):
        yield Button(
            "审批单",
            reverse("govsite_editorial:approval", args=[page.pk]),
            icon_name="clipboard-list",
            priority=85,
        )


# --- a column left empty ----------------------------------------------------------------------
def warn_of_emptied_columns(request: HttpRequest, page: Page, destination: Page | None = None) -> None:
    """On a confirmation screen (GET): which columns the action would empty; once done (POST): which
    it emptied. A warning, not a block: a column may be emptied on purpose and refilled."""
    columns = columns_left_empty(page, destination)
    if columns:
        messages.warning(request, empty_column_warning(columns, done=request.method == "POST"))


# Before content's 回收站 hook, which answers the confirmed delete itself.
hooks.register("before_delete_page", warn_of_emptied_columns, order=-10)
hooks.register("before_unpublish_page", warn_of_emptied_columns)  # Wagtail calls it on the POST only
hooks.register("before_move_page", warn_of_emptied_columns)
hooks.register("before_withdraw_page", warn_of_emptied_columns)  # content's 撤稿 form (GET)
