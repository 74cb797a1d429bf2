"""Wire the pre-publication checks into the Wagtail admin.

The findings of each page in its editor (at the top and next to each field), its check results
page with 放行, the friendly refusal of the publish button and of bulk publishing (the gate in
`gate` is the guarantee behind them), and the per-site 错敏词库 and 领导 lists.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.widgets import Button
from wagtail.models import Page
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

from . import views
from .models import Leader, WordRule
from .permissions import SiteScopedPermissionPolicy
from .services import latest_findings, log_checks_blocked, overridden_keys, run_checks, unresolved_blocking


@hooks.register("register_admin_urls")
def register_admin_urls() -> list[Any]:
    return [path("checks/", include((views.urlpatterns, "govsite_checks")))]


@hooks.register("register_log_actions")
def register_log_actions(actions_registry: Any) -> None:
    actions_registry.register_action("govsite.checks.override", "放行检查问题", "放行了检查问题")
    actions_registry.register_action("govsite.checks.blocked", "检查未通过", "因检查问题未能发布")


# --- publishing: a friendly refusal before the gate refuses -------------------------------------
# Ordered after the workflow's hooks, which first tell editors to submit for review.
@hooks.register("before_publish_page", order=10)
def refuse_blocked_publication(request: HttpRequest, page: Page) -> HttpResponse | None:
    """The editor's 发布 button: never with unresolved blocking findings."""
    blocking = unresolved_blocking(page, run_checks(page))
    if blocking:
        log_checks_blocked(page, request.user, blocking, "publish")
        messages.error(
            request,
            format_html(
                "未发布：有 {} 个阻止发布的问题。<a href='{}'>查看检查结果</a>",
                len(blocking),
                reverse("govsite_checks:page", args=[page.pk]),
            ),
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_bulk_action", order=10)
def refuse_blocked_bulk_publish(request: HttpRequest, action_type: str, objects: Any, action: Any) -> Any:
    if action_type != "publish":
        return None
    form = getattr(action, "cleaned_form", None)
    include_descendants = bool(form is not None and form.cleaned_data.get("include_descendants"))
    for page in _pages_published_by_bulk(objects, include_descendants):
        if unresolved_blocking(page.specific):
            messages.error(request, f"《{page.title}》须通过发布前检查后才能发布，批量发布已取消。")
            return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


def _pages_published_by_bulk(objects: Any, include_descendants: bool) -> Any:
    """The selected pages and, when asked, their never-published descendants (as Wagtail does)."""
    for page in objects:
        yield page
        if include_descendants:
            yield from page.get_descendants().not_live()


# --- findings in the editor ----------------------------------------------------------------------
class ChecksMenuItem(ActionMenuItem):
    """An action-menu entry that opens the page's check results."""

    name = "govsite-checks"
    label = "发布前检查结果"
    icon_name = "list-ul"

    def get_url(self, parent_context: dict[str, Any]) -> str:
        return reverse("govsite_checks:page", args=[parent_context["page"].pk])


@hooks.register("construct_page_action_menu")
def checks_action_menu(menu_items: list[Any], request: HttpRequest, context: dict[str, Any]) -> None:
    if context.get("page") is not None and context.get("view") == "edit":
        menu_items.append(ChecksMenuItem(order=910))


@hooks.register("register_page_header_buttons")
def checks_header_button(page: Page, user: Any, view_name: str, next_url: str | None = None) -> Any:
    if page.pk and page.depth > 2:
        yield Button(
            "发布前检查", reverse("govsite_checks:page", args=[page.pk]), icon_name="list-ul", priority=80
        )


@hooks.register("before_edit_page")
def show_findings_in_editor(request: HttpRequest, page: Page) -> None:
    """List the findings of the latest version at the top of the editor (each with its place)."""
    if request.method != "GET":
        return
    findings = latest_findings(page.specific)
    report = _current_report(page)
    if not findings:
        if report is not None:
            messages.info(request, format_html("发布前检查：未发现问题。{}", report))
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
        "{}共 {} 项。<a href='{}'>查看全部</a>{}<ul class='govsite-findings'>{}</ul>",
        summary,
        len(findings),
        reverse("govsite_checks:page", args=[page.pk]),
        report or "",
        rows,
    )
    (messages.error if blocking else messages.warning)(request, message)


def _current_report(page: Page) -> Any:
    """A link to the 校对报告 of the page's current submission for review, if it is under review."""
    state = page.current_workflow_state
    report = state.proofreading_reports.first() if state is not None else None
    if report is None:
        return None
    return format_html(
        " <a href='{}' class='govsite-report-link'>提交审核时的校对报告（{}）</a>",
        reverse("govsite_checks:report", args=[report.pk]),
        f"{report.created_at:%Y-%m-%d %H:%M}",
    )


@hooks.register("insert_editor_js")
def findings_next_to_fields() -> str:
    return format_html('<script src="{}" defer></script>', static("checks/findings.js"))


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
        allowed: bool = self.permission_policy.user_has_permission_for_instance(
            self.request.user, action, instance
        )
        return allowed

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


class WordRuleIndexView(ScopedIndexView):
    """The 错敏词库 list, with its Excel import and export (views.word_rules_import/export)."""

    @cached_property
    def header_more_buttons(self) -> list[Any]:
        buttons: list[Any] = super().header_more_buttons
        user = self.request.user
        if user.has_perm("govsite_checks.add_wordrule") and user.has_perm("govsite_checks.change_wordrule"):
            buttons.append(
                Button("从 Excel 导入", reverse("govsite_checks:words_import"), icon_name="upload")
            )
        buttons.append(Button("导出为 Excel", reverse("govsite_checks:words_export"), icon_name="download"))
        return buttons


class WordRuleViewSet(SiteScopedViewSet):
    model = WordRule
    index_view_class = WordRuleIndexView
    icon = "warning"
    menu_label = "错敏词库"
    add_to_admin_menu = True
    menu_order = 160
    list_display = ["word", "category", "kind", "suggestion", "severity", "site"]
    list_filter = ["category", "kind", "severity", "site"]
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
