"""Wire 三审 into the Wagtail admin and the public site.

Admin: findings in the editor, publish only through review (or 紧急发布), buttons for 撤稿 and
文件效力, a 审核发布 menu, per-site 错敏词库 and 领导 lists. Public: withdrawn pages answer with their
notice, and documents used only by unpublished pages are not served to the public.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html, format_html_join
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.menu import MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button
from wagtail.models import Page, ReferenceIndex
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    DeleteView,
    EditView,
    HistoryView,
    IndexView,
    SnippetViewSet,
    UsageView,
)

from govsite.content.models import ArticlePage, InfoPage

from . import actions, views
from .checks import latest_findings, overridden_keys, run_checks, unresolved_blocking
from .models import Leader, Withdrawal, WordRule, admin_sites
from .permissions import SiteScopedPermissionPolicy

# Content that readers see as 稿件 goes through 三审; columns and home pages do not.
REVIEWED_PAGE_TYPES = (ArticlePage, InfoPage)


def needs_review(page: Page, user: Any) -> bool:
    """True when `user` must not publish `page` directly: only review or 紧急发布 publish it."""
    return (
        isinstance(page.specific, REVIEWED_PAGE_TYPES)
        and not user.is_superuser
        and page.get_workflow() is not None
    )


@hooks.register("register_admin_urls")
def register_admin_urls() -> list[Any]:
    return [path("workflow/", include((views.urlpatterns, "govsite_workflow")))]


@hooks.register("register_log_actions")
def register_log_actions(actions_registry: Any) -> None:
    actions_registry.register_action("govsite.checks.override", "放行检查问题", "放行了检查问题")
    actions_registry.register_action("govsite.checks.blocked", "检查未通过", "因检查问题未能发布")
    actions_registry.register_action("govsite.urgent_publish", "紧急发布", "紧急发布（待补审）")
    actions_registry.register_action("govsite.withdraw", "撤稿", "已撤稿")
    actions_registry.register_action("govsite.withdraw.restore", "恢复撤稿", "已恢复撤稿的稿件")
    actions_registry.register_action("govsite.validity", "文件效力", "修改了文件效力")
    actions_registry.register_action("govsite.release", "联合发布", "加入联合发布")
    actions_registry.register_action("govsite.workflow.steps", "审核步骤", "修改了审核步骤")


# --- publishing is enforced here ---------------------------------------------------------------
@hooks.register("before_publish_page")
def refuse_unreviewed_or_blocked(request: HttpRequest, page: Page) -> HttpResponse | None:
    """The editor's 发布 button: only after review, and never with unresolved blocking findings."""
    if needs_review(page, request.user):
        messages.error(request, "稿件须经三审后发布：请点击“提交审核”；确需立即发布请使用“紧急发布”。")
        return redirect("wagtailadmin_pages:edit", page.pk)
    blocking = unresolved_blocking(page, run_checks(page))
    if blocking:
        actions.log_checks_blocked(page, request.user, blocking, "publish")
        messages.error(
            request,
            format_html(
                "未发布：有 {} 个阻止发布的问题。<a href='{}'>查看检查结果</a>",
                len(blocking),
                reverse("govsite_workflow:checks", args=[page.pk]),
            ),
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_publish(request: HttpRequest, action_type: str, objects: Any, action: Any) -> Any:
    if action_type != "publish":
        return None
    for page in objects:
        if needs_review(page, request.user) or unresolved_blocking(page.specific):
            messages.error(request, f"《{page.title}》须经三审且通过检查后才能发布，批量发布已取消。")
            return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


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
    menu_items.append(LinkMenuItem("govsite-checks", "发布前检查结果", "checks", "list-ul", 910))


@hooks.register("register_page_header_buttons")
def workflow_header_buttons(page: Page, user: Any, view_name: str, next_url: str | None = None) -> Any:
    if not page.pk or page.depth <= 2:
        return
    yield Button(
        "发布前检查", reverse("govsite_workflow:checks", args=[page.pk]), icon_name="list-ul", priority=80
    )
    if page.live and actions.can_publish(page, user):
        label = "撤稿设置" if Withdrawal.objects.filter(page=page).exists() else "撤稿"
        yield Button(
            label, reverse("govsite_workflow:withdraw", args=[page.pk]), icon_name="cross", priority=81
        )
    if isinstance(page.specific, ArticlePage) and page.permissions_for_user(user).can_edit():
        yield Button(
            "文件效力",
            reverse("govsite_workflow:validity", args=[page.pk]),
            icon_name="doc-full",
            priority=82,
        )


@hooks.register("before_edit_page")
def show_findings_in_editor(request: HttpRequest, page: Page) -> None:
    """List the findings of the latest version at the top of the editor (each with its place)."""
    if request.method != "GET":
        return
    findings = latest_findings(page.specific)
    if not findings:
        return
    allowed = overridden_keys(page)
    rows = format_html_join(
        "",
        "<li>[{}] {}：{}{}{}</li>",
        (
            (
                "已放行" if f.key in allowed else f.severity_label,
                f.field_label,
                f.message,
                format_html("（{}）", f.context) if f.context else "",
                format_html(" 建议：{}", f.suggestion) if f.suggestion else "",
            )
            for f in findings[:15]
        ),
    )
    blocking = len([f for f in findings if f.blocking and f.key not in allowed])
    summary = f"发布前检查：{blocking} 个问题阻止发布，" if blocking else "发布前检查："
    message = format_html(
        "{}共 {} 项。<a href='{}'>查看全部</a><ul class='govsite-findings'>{}</ul>",
        summary,
        len(findings),
        reverse("govsite_workflow:checks", args=[page.pk]),
        rows,
    )
    (messages.error if blocking else messages.warning)(request, message)


@hooks.register("insert_editor_js")
def findings_next_to_fields() -> str:
    return format_html('<script src="{}" defer></script>', static("workflow/findings.js"))


# --- public site ---------------------------------------------------------------------------------
@hooks.register("before_serve_page", order=-10)
def serve_withdrawn_page(page: Page, request: HttpRequest, serve_args: Any, serve_kwargs: Any) -> Any:
    withdrawal = Withdrawal.objects.filter(page_id=page.pk).select_related("replacement").first()
    if withdrawal is not None:
        return views.withdrawn_response(request, page, withdrawal)
    return None


def document_is_public(document: Any) -> bool:
    """A document is public when a live, not withdrawn page uses it, or something other than a page.

    Unused documents and documents used only by drafts stay private until their page is published.
    """
    page_ids, other_use = set(), False
    for reference in ReferenceIndex.get_references_to(document):
        model = reference.base_content_type.model_class()
        if model is not None and issubclass(model, Page):
            page_ids.add(int(reference.object_id))
        else:
            other_use = True
    if other_use:
        return True
    return Page.objects.filter(pk__in=page_ids, live=True, withdrawal__isnull=True).exists()


@hooks.register("before_serve_document")
def keep_unpublished_attachments_private(document: Any, request: HttpRequest) -> HttpResponse | None:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.has_perm("wagtailadmin.access_admin"):
        return None  # editors and reviewers preview attachments of drafts
    if not document_is_public(document):
        raise Http404
    return None


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


# --- per-site word and leader lists --------------------------------------------------------------
# Registered before the viewsets so that every Wagtail view, chooser and bulk action uses it.
register_permission_policy(WordRule, SiteScopedPermissionPolicy(WordRule))
register_permission_policy(Leader, SiteScopedPermissionPolicy(Leader))


class RowPermissionMixin:
    """Refuse a row loaded by id unless the permission policy allows `row_actions` on that row.

    Wagtail's generic edit, delete, history and usage views check model permissions only.
    """

    row_actions: tuple[str, ...] = ("change",)

    def get_object(self, *args: Any, **kwargs: Any) -> Any:
        obj = super().get_object(*args, **kwargs)  # type: ignore[misc]
        policy = policy_registry.get_by_type(type(obj))
        user = self.request.user  # type: ignore[attr-defined]
        if not policy.user_has_any_permission_for_instance(user, self.row_actions, obj):
            raise PermissionDenied
        return obj


class ScopedIndexView(IndexView):
    """Rows the user may only read (platform-wide rules) are listed without edit or delete links."""

    def _allows(self, action: str, instance: Any) -> bool:
        return self.permission_policy.user_has_permission_for_instance(self.request.user, action, instance)

    def get_edit_url(self, instance: Any) -> str | None:
        return super().get_edit_url(instance) if self._allows("change", instance) else None

    def get_delete_url(self, instance: Any) -> str | None:
        return super().get_delete_url(instance) if self._allows("delete", instance) else None


class ScopedEditView(RowPermissionMixin, EditView):
    row_actions = ("change",)


class ScopedDeleteView(RowPermissionMixin, DeleteView):
    row_actions = ("delete",)


class ScopedHistoryView(RowPermissionMixin, HistoryView):
    row_actions = ("change", "delete")


class ScopedUsageView(RowPermissionMixin, UsageView):
    row_actions = ("change",)


class SiteScopedViewSet(SnippetViewSet):
    """Site administrators see and edit only the lists of the sites they administer.

    The rows come from the model's permission policy (SiteScopedPermissionPolicy); every view
    that loads a row by id checks it again, and bulk deletion asks the same policy per row.
    """

    index_view_class = ScopedIndexView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView

    def get_queryset(self, request: HttpRequest) -> Any:
        policy = policy_registry.get_by_type(self.model)
        return policy.instances_user_has_any_permission_for(request.user, ["view", "change", "delete"])


class WordRuleViewSet(SiteScopedViewSet):
    model = WordRule
    icon = "warning"
    menu_label = "错敏词库"
    add_to_admin_menu = True
    menu_order = 160
    list_display = ["word", "kind", "suggestion", "severity", "site"]
    list_filter = ["kind", "severity", "site"]
    search_fields = ["word", "suggestion"]


class LeaderViewSet(SiteScopedViewSet):
    model = Leader
    icon = "user"
    menu_label = "领导姓名职务"
    add_to_admin_menu = True
    menu_order = 161
    list_display = ["name", "title", "site"]
    list_filter = ["site"]
    search_fields = ["name", "title"]


register_snippet(WordRuleViewSet)
register_snippet(LeaderViewSet)
