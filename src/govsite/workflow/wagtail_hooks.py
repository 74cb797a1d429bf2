"""Wire 三审 into the Wagtail admin and the public site.

Admin: publish only through review (or 紧急发布), a 审核发布 menu. (The pre-publication checks are
wired in by the checks app; 撤稿, 文件效力 and document privacy by the content app.)
"""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.menu import MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component
from wagtail.models import Page

from govsite.checks.services import unresolved_blocking
from govsite.content.models import ArticlePage, InfoPage

from . import actions, views
from .models import admin_sites

# Content that readers see as 稿件 goes through 三审; columns and home pages do not.
REVIEWED_PAGE_TYPES = (ArticlePage, InfoPage)


def publish_refusal(page: Page, user: Any) -> str:
    """Why `user` must not publish `page` directly ("" if they may): only review or 紧急发布 do.

    While a review is under way nobody publishes around it, the platform administrator included:
    Wagtail's 发布 would silently cancel the review.
    """
    if not isinstance(page.specific, REVIEWED_PAGE_TYPES):
        return ""
    if page.workflow_in_progress:
        return "稿件正在三审中，不能直接发布：请等待终审批准；确需立即发布请使用“紧急发布”。"
    if not user.is_superuser and page.get_workflow() is not None:
        return "稿件须经三审后发布：请点击“提交审核”；确需立即发布请使用“紧急发布”。"
    return ""


def needs_review(page: Page, user: Any) -> bool:
    """True when `user` must not publish `page` directly: only review or 紧急发布 publish it."""
    return bool(publish_refusal(page, user))


@hooks.register("register_admin_urls")
def register_admin_urls() -> list[Any]:
    return [path("workflow/", include((views.urlpatterns, "govsite_workflow")))]


@hooks.register("register_log_actions")
def register_log_actions(actions_registry: Any) -> None:
    actions_registry.register_action("govsite.urgent_publish", "紧急发布", "紧急发布（待补审）")
    actions_registry.register_action("govsite.release", "联合发布", "加入联合发布")
    actions_registry.register_action("govsite.workflow.steps", "审核步骤", "修改了审核步骤")
    actions_registry.register_action(
        "govsite.workflow.countersign", "会签批准", "批准（等待本步骤其他成员批准）"
    )
    actions_registry.register_action("govsite.workflow.columns", "栏目授权", "修改了栏目授权")


# --- publishing is enforced here ---------------------------------------------------------------
@hooks.register("before_publish_page")
def refuse_unreviewed(request: HttpRequest, page: Page) -> HttpResponse | None:
    """The editor's 发布 button: only after review (the checks app then refuses blocked pages)."""
    refusal = publish_refusal(page, request.user)
    if refusal:
        messages.error(request, refusal)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_publish(request: HttpRequest, action_type: str, objects: Any, action: Any) -> Any:
    if action_type != "publish":
        return None
    for page in objects:
        refusal = publish_refusal(page, request.user)
        if refusal:
            messages.error(request, f"《{page.title}》：{refusal}批量发布已取消。")
            return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("before_edit_page")
def refuse_armed_autosave(request: HttpRequest, page: Page) -> HttpResponse | None:
    """Refuse the autosave of an editor form armed for a review action (批准和发布, 退回).

    Wagtail's workflow-action.js adds `action-workflow-action` to the edit form and submits it; the
    changed form data also starts an autosave of that form, which reaches the server while the
    action's own request publishes. Handled after the workflow has finished, the action is no longer
    valid and Wagtail saved the form as a draft: a revision newer than the version just published.
    The form's own submission is the only request that decides; other autosaves go through.
    """
    if (
        request.method == "POST"
        and request.POST.get("action-workflow-action")
        and not request.accepts("text/html")
    ):
        error = {
            "success": False,
            "error_code": "invalid_revision",
            "error_message": "正在提交审核操作，本次不自动保存。",
        }
        return JsonResponse(error, status=400)
    return None


@hooks.register("after_edit_page")
def after_review_action(request: HttpRequest, page: Page) -> HttpResponse | None:
    """After 批准 / 退回 in the editor, land on 我的待审 (the editor may be closed to the reviewer now);
    after 提交审核, say how many findings will stop publication."""
    if request.POST.get("action-workflow-action"):
        return redirect(f"{reverse('govsite_workflow:my_reviews')}?done={page.pk}")
    if request.POST.get("action-submit") or request.POST.get("action-restart-workflow"):
        blocking = unresolved_blocking(page.specific)
        if blocking:
            messages.warning(
                request,
                format_html(
                    "已提交审核，但有 {} 个问题将阻止发布：终审批准前须修改或放行。"
                    "<a href='{}'>查看检查结果</a>",
                    len(blocking),
                    reverse("govsite_checks:page", args=[page.pk]),
                ),
            )
    return None


@hooks.register("insert_editor_js")
def confirm_submit_with_findings() -> str:
    """提交审核 asks first when blocking findings remain (workflow/submit_confirm.js)."""
    return format_html('<script src="{}" defer></script>', static("workflow/submit_confirm.js"))


class LinkMenuItem(ActionMenuItem):
    """An action-menu entry that opens one of the workflow pages."""

    def __init__(self, name: str, label: str, url_name: str, icon_name: str, order: int) -> None:
        super().__init__(order=order)
        self.name, self.label, self.url_name, self.icon_name = name, label, url_name, icon_name

    def get_url(self, parent_context: dict[str, Any]) -> str:
        return reverse(f"govsite_workflow:{self.url_name}", args=[parent_context["page"].pk])


@hooks.register("construct_page_action_menu")
def review_action_menu(menu_items: list[Any], request: HttpRequest, context: dict[str, Any]) -> None:
    page = context.get("page")
    if page is None or context.get("view") != "edit":
        return
    if needs_review(page, request.user):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]
    if isinstance(page.specific, REVIEWED_PAGE_TYPES) and actions.can_urgent_publish(page, request.user):
        menu_items.append(LinkMenuItem("govsite-urgent", "紧急发布（发布后补审）", "urgent", "warning", 900))


# --- admin menu and dashboard --------------------------------------------------------------------
class UrgentReviewsPanel(Component):
    name = "govsite_urgent_reviews"
    order = 40
    template_name = "workflow/includes/urgent_panel.html"

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        return {"urgent": actions.pending_urgent_reviews(self.request.user)}

    def render_html(self, parent_context: Any = None) -> str:
        context = self.get_context_data(parent_context)
        return super().render_html(parent_context) if context["urgent"] else ""


@hooks.register("construct_homepage_panels")
def add_urgent_panel(request: HttpRequest, panels: list[Any]) -> None:
    panels.insert(0, UrgentReviewsPanel(request))


class SiteAdminMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return bool(admin_sites(request.user))


class PublisherMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        user = request.user
        return user.is_superuser or user.has_perm("govsite_workflow.urgent_publish")


@hooks.register("register_admin_menu_item")
def workflow_menu() -> SubmenuMenuItem:
    from wagtail.admin.menu import Menu

    items = [
        MenuItem("我的待审", reverse("govsite_workflow:my_reviews"), icon_name="tasks", order=10),
        PublisherMenuItem("联合发布", reverse("govsite_workflow:releases"), icon_name="date", order=20),
        SiteAdminMenuItem("审核流程设置", reverse("govsite_workflow:sites"), icon_name="cogs", order=30),
    ]
    return SubmenuMenuItem("审核发布", Menu(items=items), icon_name="tasks", order=150)


@hooks.register("register_settings_menu_item")
def column_permissions_menu() -> MenuItem:
    """栏目授权 sits with the other site settings (site administrators only)."""
    return SiteAdminMenuItem(
        "栏目授权", reverse("govsite_workflow:column_sites"), icon_name="lock", order=250
    )
