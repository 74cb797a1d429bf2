"""Wire 三审 into the Wagtail admin and the public site.

Admin: publish only through review (or 紧急发布), buttons for 撤稿 and 文件效力, a 审核发布 menu.
(The pre-publication checks and their lists are wired in by the checks app.) Public: withdrawn pages
answer with their notice, and documents used only by unpublished pages are not served to the public.
"""

import operator
from functools import reduce
from typing import Any

from django.contrib import messages
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.menu import MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button
from wagtail.models import Page, ReferenceIndex
from wagtail.permissions import policy_registry

from govsite.content.models import ArticlePage, InfoPage
from govsite.core.models import subtree_q
from govsite.sites.provisioning import department_roots

from . import actions, views
from .models import Withdrawal, admin_sites

# Content that readers see as 稿件 goes through 三审; columns and home pages do not.
REVIEWED_PAGE_TYPES = (ArticlePage, InfoPage)
# Who may fetch a document that is not public yet: anyone who may change or choose it in the admin.
PREVIEW_ACTIONS = ["change", "choose"]


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
    actions_registry.register_action("govsite.urgent_publish", "紧急发布", "紧急发布（待补审）")
    actions_registry.register_action("govsite.withdraw", "撤稿", "已撤稿")
    actions_registry.register_action("govsite.withdraw.restore", "恢复撤稿", "已恢复撤稿的稿件")
    actions_registry.register_action("govsite.validity", "文件效力", "修改了文件效力")
    actions_registry.register_action("govsite.release", "联合发布", "加入联合发布")
    actions_registry.register_action("govsite.workflow.steps", "审核步骤", "修改了审核步骤")


# --- publishing is enforced here ---------------------------------------------------------------
@hooks.register("before_publish_page")
def refuse_unreviewed(request: HttpRequest, page: Page) -> HttpResponse | None:
    """The editor's 发布 button: only after review (the checks app then refuses blocked pages)."""
    if needs_review(page, request.user):
        messages.error(request, "稿件须经三审后发布：请点击“提交审核”；确需立即发布请使用“紧急发布”。")
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_publish(request: HttpRequest, action_type: str, objects: Any, action: Any) -> Any:
    if action_type != "publish":
        return None
    for page in objects:
        if needs_review(page, request.user):
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


@hooks.register("register_page_header_buttons")
def workflow_header_buttons(page: Page, user: Any, view_name: str, next_url: str | None = None) -> Any:
    if not page.pk or page.depth <= 2:
        return
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


# --- public site ---------------------------------------------------------------------------------
@hooks.register("before_serve_page", order=-10)
def serve_withdrawn_page(page: Page, request: HttpRequest, serve_args: Any, serve_kwargs: Any) -> Any:
    withdrawal = Withdrawal.objects.filter(page_id=page.pk).select_related("replacement").first()
    if withdrawal is not None:
        return views.withdrawn_response(request, page, withdrawal)
    return None


def document_is_public(document: Any) -> bool:
    """A document is public when a live, not withdrawn page of its own department uses it.

    Its department is the one that owns its collection (`department_roots`): a page of another site
    that links to it publishes nothing. Unused documents and documents used only by drafts stay
    private until their page is published. Files outside every department's collection (the root
    collection, which only platform administrators use) count a page of any site. A use by something
    other than a page counts for site settings of the owning department's sites only.
    """
    roots = department_roots(document.collection)
    page_ids, other_uses = set(), []
    for reference in ReferenceIndex.get_references_to(document):
        model = reference.base_content_type.model_class()
        if model is not None and issubclass(model, Page):
            page_ids.add(int(reference.object_id))
        else:
            other_uses.append((model, reference.object_id))
    pages = Page.objects.filter(pk__in=page_ids, live=True, withdrawal__isnull=True)
    if roots:
        pages = pages.filter(reduce(operator.or_, (subtree_q(root, inclusive=True) for root in roots)))
    return pages.exists() or any(_site_use_counts(model, pk, roots) for model, pk in other_uses)


def _site_use_counts(model: type[models.Model] | None, object_id: str, roots: list[Page]) -> bool:
    """Whether a non-page use (e.g. a site setting) publishes a document of a department with `roots`."""
    if not roots:
        return True
    if model is None or "site" not in {field.name for field in model._meta.get_fields()}:
        return False
    site_path = model._default_manager.filter(pk=object_id).values_list("site__root_page__path", flat=True)
    path = site_path.first()
    return path is not None and any(path.startswith(root.path) for root in roots)


@hooks.register("before_serve_document")
def keep_unpublished_attachments_private(document: Any, request: HttpRequest) -> HttpResponse | None:
    """Serve a document to the public once published; before that only to its own department.

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
