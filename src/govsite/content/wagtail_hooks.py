"""Wire the page-lifecycle states into the Wagtail admin and the public site.

Admin: 撤稿 and 文件效力 buttons in the page header, their views, their history entries. Public:
withdrawn pages answer with their notice; documents are served only once public
(`visibility.document_is_public`), before that only to the department that may edit them.
"""

from typing import Any

from django.contrib import messages
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.models import Page
from wagtail.permissions import policy_registry

from . import lifecycle, recycle, views
from .body_views import BODY_PAGE_TYPES
from .models import ArticlePage, ColumnPage, RecycledPage, Withdrawal
from .prefetch import withdrawal_of
from .visibility import document_is_public, is_expired, withdrawn_ids

# Who may fetch a document that is not public yet: anyone who may change or choose it in the admin.
PREVIEW_ACTIONS = ["change", "choose"]


@hooks.register("register_admin_urls")
def register_admin_urls() -> list[Any]:
    return [path("content/", include((views.admin_urlpatterns, "govsite_content")))]


@hooks.register("register_log_actions")
def register_log_actions(actions_registry: Any) -> None:
    actions_registry.register_action("govsite.withdraw", "撤稿", "已撤稿")
    actions_registry.register_action("govsite.withdraw.restore", "恢复撤稿", "已恢复撤稿的稿件")
    actions_registry.register_action("govsite.validity", "文件效力", "修改了文件效力")
    actions_registry.register_action("govsite.recycle", "移入回收站", "已删除（移入回收站）")
    actions_registry.register_action("govsite.recycle.restore", "从回收站恢复", "已从回收站恢复")


# --- 回收站: deleting a page in the admin moves it to the bin ------------------------------------
@hooks.register("before_delete_page")
def delete_to_recycle_bin(request: HttpRequest, page: Page) -> HttpResponse | None:
    """Wagtail's delete view, once confirmed, moves the page to the 回收站 instead of deleting it."""
    if request.method != "POST" or page.depth <= 2:  # a site's home page is removed with its site
        return None
    recycle.bin_page(page, request.user)
    messages.success(
        request,
        f"《{page.title}》已移入回收站，{recycle.KEEP_DAYS} 天内可在“回收站”中恢复。",
    )
    return redirect("wagtailadmin_explore", page.get_parent().pk)


@hooks.register("before_bulk_action")
def bulk_delete_to_recycle_bin(request: HttpRequest, action_type: str, objects: list[Any], view: Any) -> Any:
    """The explorer's bulk 删除 moves the chosen pages to the 回收站 too."""
    if action_type != "delete" or not objects or not isinstance(objects[0], Page):
        return None
    for page in objects:
        if page.depth > 2:
            recycle.bin_page(page, request.user)
    messages.success(request, f"已将 {len(objects)} 个页面移入回收站，{recycle.KEEP_DAYS} 天内可恢复。")
    return redirect(view.next_url)


@hooks.register("construct_explorer_page_queryset")
def hide_recycled_pages(parent_page: Page, pages: QuerySet, request: HttpRequest) -> QuerySet:
    return pages.filter(recycled__isnull=True)


@hooks.register("before_edit_page")
def keep_recycled_pages_closed(request: HttpRequest, page: Page) -> HttpResponse | None:
    """A page in the bin is restored before it is edited (and so before it can be published)."""
    if RecycledPage.objects.filter(page_id=page.pk).exists():
        messages.warning(request, f"《{page.title}》在回收站中，请先恢复后再编辑。")
        return redirect("govsite_content:recycle_bin")
    return None


@hooks.register("register_admin_menu_item")
def recycle_bin_menu_item() -> MenuItem:
    return MenuItem("回收站", reverse("govsite_content:recycle_bin"), icon_name="bin", order=190)


@hooks.register("register_page_header_buttons")
def lifecycle_header_buttons(page: Page, user: Any, view_name: str, next_url: str | None = None) -> Any:
    if not page.pk or page.depth <= 2:
        return
    if page.live and lifecycle.can_withdraw(page, user):
        label = "撤稿设置" if Withdrawal.objects.filter(page=page).exists() else "撤稿"
        yield Button(
            label, reverse("govsite_content:withdraw", args=[page.pk]), icon_name="cross", priority=81
        )
    if isinstance(page.specific, ArticlePage) and page.permissions_for_user(user).can_edit():
        yield Button(
            "文件效力",
            reverse("govsite_content:validity", args=[page.pk]),
            icon_name="doc-full",
            priority=82,
        )


# --- 撤稿 shown in the admin ------------------------------------------------------------------------
@hooks.register("construct_explorer_page_queryset")
def mark_withdrawn_pages(parent_page: Page, pages: Any, request: HttpRequest) -> Any:
    """The explorer's status column shows 已撤稿 (templates/wagtailadmin/pages/listing/
    _page_status_cell.html)."""
    return pages.annotate(govsite_withdrawn=Exists(Withdrawal.objects.filter(page_id=OuterRef("pk"))))


@hooks.register("before_edit_page")
def withdrawn_banner(request: HttpRequest, page: Page) -> None:
    """A withdrawn page says so in its editor: publishing it again does not lift 撤稿."""
    if request.method == "GET" and withdrawn_ids([page.pk]):
        messages.warning(
            request,
            "本稿件已撤稿：其地址显示撤稿说明，不出现在列表、搜索、站点地图和订阅中。"
            "修改并重新发布后仍保持撤稿；如需恢复，请在“撤稿设置”中取消撤稿。",
        )


@hooks.register("register_page_header_buttons")
def body_header_buttons(page: Page, user: Any, view_name: str, next_url: str | None = None) -> Any:
    """导入 Word and 一键排版 on an article or information page; 导入 Word on a column (a new article)."""
    specific = page.specific
    if isinstance(specific, BODY_PAGE_TYPES) and page.permissions_for_user(user).can_edit():
        yield Button(
            "导入 Word",
            reverse("govsite_content:import_word", args=[page.pk]),
            icon_name="doc-full",
            priority=83,
        )
        yield Button(
            "一键排版", reverse("govsite_content:typeset", args=[page.pk]), icon_name="edit", priority=84
        )
    elif isinstance(specific, ColumnPage) and page.permissions_for_user(user).can_add_subpage():
        url = reverse("govsite_content:import_word_new", args=[page.pk])
        yield Button("从 Word 导入新文章", url, icon_name="doc-full", priority=83)


@hooks.register("register_page_listing_more_buttons")
def column_import_button(page: Page, user: Any, next_url: str | None = None) -> Any:
    if page.specific_class is ColumnPage and page.permissions_for_user(user).can_add_subpage():
        url = reverse("govsite_content:import_word_new", args=[page.pk])
        yield Button("从 Word 导入新文章", url, icon_name="doc-full", priority=60)


# --- public site ---------------------------------------------------------------------------------
@hooks.register("before_serve_page", order=-10)
def serve_withdrawn_page(page: Page, request: HttpRequest, serve_args: Any, serve_kwargs: Any) -> Any:
    """A withdrawn page answers with its notice; one past its 下线时间 (expire_at) is not public
    (`visibility.is_public`) even before the scheduler has unpublished it."""
    if is_expired(page):
        raise Http404
    withdrawal = withdrawal_of(page.pk)
    if withdrawal is not None:
        return views.withdrawn_response(request, page, withdrawal)
    return None


@hooks.register("before_serve_document")
def keep_unpublished_attachments_private(document: Any, request: HttpRequest) -> HttpResponse | None:
    """Serve a document to the public once public (`document_is_public`); before that only to its
    own department.

    An admin user previews a document only with a permission on its collection, as Wagtail's document
    permission policy decides it (the same rule as the document list and chooser).
    """
    if document_is_public(document):
        return None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        policy = policy_registry.get_by_type(type(document))
        if policy.user_has_any_permission_for_instance(user, PREVIEW_ACTIONS, document):
            return None  # the department's editors and reviewers preview attachments of drafts
    raise Http404
