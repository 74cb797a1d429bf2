"""Wire the page-lifecycle states into the Wagtail admin and the public site.

Admin: 撤稿 and 文件效力 buttons in the page header, their views, their history entries. Public:
withdrawn pages answer with their notice; documents are served only once public
(`visibility.document_is_public`), before that only to the department that may edit them.
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.models import Page
from wagtail.permissions import policy_registry

from . import lifecycle, views
from .body_views import BODY_PAGE_TYPES
from .models import ArticlePage, ColumnPage, Withdrawal
from .visibility import document_is_public, is_expired

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
    withdrawal = Withdrawal.objects.filter(page_id=page.pk).select_related("replacement").first()
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
