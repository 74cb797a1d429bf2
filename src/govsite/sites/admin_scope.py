"""Keep other departments' titles out of admin screens that Wagtail does not scope itself.

Wagtail hides pages, documents and images the user has no permission on in the explorer and the
listings, but several screens still name them: the page chooser, bulk-action confirmations and the
page-types report, and the workflow reports' filters (other departments' workflows, steps and
requesters). Each is narrowed here to what the user may see: pages they may explore (under
their sites' root pages) and documents and images of collections they may use.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Model, OuterRef, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from wagtail.admin.views.chooser import BrowseView, ChosenMultipleView
from wagtail.admin.views.reports.page_types_usage import (
    PageTypesUsageReportFilterSet,
    PageTypesUsageReportView,
)
from wagtail.admin.views.reports.workflows import (
    WorkflowReportFilterSet,
    WorkflowTasksReportFilterSet,
    WorkflowTasksView,
    WorkflowView,
)
from wagtail.models import Page, Site, Task, Workflow, WorkflowState
from wagtail.permissions import policy_registry

# Actions that let a user see a document or image (or a snippet) in the admin at all.
SEE_FILE_ACTIONS = ["change", "choose"]
SEE_SNIPPET_ACTIONS = ["view", "change", "delete"]


def visible_pages(user: Any) -> QuerySet:
    """Pages the explorer shows this user: everything under the pages they have permissions on."""
    return policy_registry.get_by_type(Page).explorable_instances(user)


def visible_objects(user: Any, model: type[Model]) -> QuerySet:
    """The rows of `model` this user may see in the admin, by the model's permission policy."""
    if issubclass(model, Page):
        return model._default_manager.filter(pk__in=visible_pages(user).values("pk"))
    policy = policy_registry.get_by_type(model)
    actions = SEE_FILE_ACTIONS if hasattr(model, "collection") else SEE_SNIPPET_ACTIONS
    return policy.instances_user_has_any_permission_for(user, actions)


def page_ids(request: HttpRequest) -> list[int]:
    return [int(value) for value in request.GET.getlist("id") if value.isdigit()]


# --- page chooser ------------------------------------------------------------------------------
def scope_page_chooser(pages: QuerySet, request: HttpRequest) -> QuerySet:
    """`construct_page_chooser_queryset` hook: children and search results the user may see."""
    return pages.filter(pk__in=visible_pages(request.user).values("pk"))


class ScopedPageBrowseView(BrowseView):
    """The chooser also names the page it browses; another department's page is not found."""

    def get(self, request: HttpRequest, parent_page_id: int | None = None) -> HttpResponse:
        if parent_page_id and not visible_pages(request.user).filter(pk=parent_page_id).exists():
            raise Http404
        return super().get(request, parent_page_id)


class ScopedChosenMultipleView(ChosenMultipleView):
    """Returns titles and addresses of the chosen pages: only of pages the user may see."""

    def get(self, request: HttpRequest) -> HttpResponse:
        wanted = set(page_ids(request))
        if wanted and visible_pages(request.user).filter(pk__in=wanted).count() != len(wanted):
            raise Http404
        return super().get(request)


# --- bulk actions ------------------------------------------------------------------------------
class VisibleItemsOnlyMixin:
    """Bulk-action confirmations list items the user cannot act on: only those they may see.

    Items the user may not see at all (another department's) are left out, as if absent.
    """

    def get_actionable_objects(self) -> tuple[list[Any], dict[str, Any]]:
        objects, extra = super().get_actionable_objects()  # type: ignore[misc]
        hidden = extra.get("items_with_no_access") or []
        if hidden:
            user = self.request.user  # type: ignore[attr-defined]
            seen = set(
                visible_objects(user, self.model)  # type: ignore[attr-defined]
                .filter(pk__in=[item.pk for item in hidden])
                .values_list("pk", flat=True)
            )
            extra = {**extra, "items_with_no_access": [item for item in hidden if item.pk in seen]}
        return objects, extra


def _app_of(action_class: type) -> str:
    return action_class.__module__.split(".")[1].title()


def scoped_bulk_actions() -> list[type]:
    """Wagtail's page, document, image and snippet bulk actions, with VisibleItemsOnlyMixin."""
    from wagtail.admin.views.pages import bulk_actions as page_actions
    from wagtail.documents.views import bulk_actions as document_actions
    from wagtail.images.views import bulk_actions as image_actions
    from wagtail.snippets.bulk_actions.delete import DeleteBulkAction as SnippetDeleteBulkAction

    bases = [
        page_actions.DeleteBulkAction,
        page_actions.MoveBulkAction,
        page_actions.PublishBulkAction,
        page_actions.UnpublishBulkAction,
        document_actions.AddTagsBulkAction,
        document_actions.AddToCollectionBulkAction,
        document_actions.DeleteBulkAction,
        image_actions.AddTagsBulkAction,
        image_actions.AddToCollectionBulkAction,
        image_actions.DeleteBulkAction,
        SnippetDeleteBulkAction,
    ]
    return [
        type(
            f"Scoped{base.__module__.split('.')[1].title()}{base.__name__}", (VisibleItemsOnlyMixin, base), {}
        )
        for base in bases
    ]


# --- page types report -------------------------------------------------------------------------
class ScopedPageTypesFilterSet(PageTypesUsageReportFilterSet):
    """The site filter offers the user's own sites only."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.request.user if self.request is not None else None
        if user is not None and not user.is_superuser and "site" in self.filters:
            visible = visible_pages(user)
            self.filters["site"].extra["choices"] = [
                (site.root_page.path, str(site))
                for site in Site.objects.select_related("root_page")
                if visible.filter(pk=site.root_page_id).exists()
            ]


class ScopedPageTypesUsageReportView(PageTypesUsageReportView):
    """Counts and “last edited page” of each page type, over the pages the user may see."""

    filterset_class = ScopedPageTypesFilterSet

    def get_queryset(self) -> QuerySet:
        if self.request.user.is_superuser:
            return super().get_queryset()
        # As Wagtail's, with every page count and lookup limited to the pages the user may see.
        pages = Page.objects.filter(pk__in=visible_pages(self.request.user).values("pk"))
        queryset = ContentType.objects.filter(model__in=self.page_models)
        base_type = ContentType.objects.get_for_model(Page)
        if not pages.filter(depth__gt=1, content_type=base_type).exists():
            queryset = queryset.exclude(pk=base_type.pk)
        self.queryset = queryset
        queryset = self.filter_queryset(queryset)
        form = self.filters.form.cleaned_data if self.filters and self.filters.is_valid() else {}
        if form.get("page_locale"):
            pages = pages.filter(locale__language_code=form["page_locale"])
        if form.get("site"):
            pages = pages.filter(path__startswith=form["site"])
        latest = pages.filter(content_type=OuterRef("pk")).order_by(
            F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk"
        )
        return queryset.annotate(
            count=Count("pages", filter=Q(pages__in=pages.values("pk")), distinct=True),
            last_edited_page_id=Subquery(latest.values("pk")[:1]),
        ).order_by("-count", "app_label", "model")


# --- workflow reports ----------------------------------------------------------------------------
def visible_workflows(user: Any) -> QuerySet:
    """Workflows assigned to pages the user may see (a department's 三审 on its site root)."""
    return Workflow.objects.filter(workflow_pages__page__in=visible_pages(user).values("pk")).distinct()


def scope_workflow_filters(filters: dict[str, Any], user: Any) -> None:
    """Wagtail's report rows are already limited to editable pages; its filter choices are not."""
    if user is None or user.is_superuser:
        return
    workflows = visible_workflows(user)
    if "workflow" in filters:
        filters["workflow"].queryset = workflows
    if "task" in filters:
        filters["task"].queryset = Task.objects.filter(workflow_tasks__workflow__in=workflows).distinct()
    if "requested_by" in filters:
        page_ids = [str(pk) for pk in visible_pages(user).values_list("pk", flat=True)]
        requesters = WorkflowState.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page), object_id__in=page_ids
        ).values("requested_by")
        users = get_user_model().objects.filter(pk__in=requesters)
        filters["requested_by"].queryset = users.order_by(get_user_model().USERNAME_FIELD)


class ScopedWorkflowReportFilterSet(WorkflowReportFilterSet):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope_workflow_filters(self.filters, getattr(self.request, "user", None))


class ScopedWorkflowTasksReportFilterSet(WorkflowTasksReportFilterSet):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope_workflow_filters(self.filters, getattr(self.request, "user", None))


class ScopedWorkflowView(WorkflowView):
    filterset_class = ScopedWorkflowReportFilterSet


class ScopedWorkflowTasksView(WorkflowTasksView):
    filterset_class = ScopedWorkflowTasksReportFilterSet


def admin_urlpatterns() -> list[Any]:
    """Scoped views at Wagtail's own addresses; govsite.urls lists them before Wagtail's admin."""
    from django.urls import path
    from django.views.decorators.cache import never_cache
    from wagtail.admin.auth import require_admin_access
    from wagtail.admin.urls import display_custom_404
    from wagtail.utils.urlpatterns import decorate_urlpatterns

    from . import redirect_admin

    report = ScopedPageTypesUsageReportView
    patterns = [
        path("choose-page/<int:parent_page_id>/", ScopedPageBrowseView.as_view()),
        path("choose-page/chosen-multiple/", ScopedChosenMultipleView.as_view()),
        path("reports/page-types-usage/", report.as_view()),
        path("reports/page-types-usage/results/", report.as_view(results_only=True)),
        path("reports/workflow/", ScopedWorkflowView.as_view()),
        path("reports/workflow/results/", ScopedWorkflowView.as_view(results_only=True)),
        path("reports/workflow_tasks/", ScopedWorkflowTasksView.as_view()),
        path("reports/workflow_tasks/results/", ScopedWorkflowTasksView.as_view(results_only=True)),
        *redirect_admin.urlpatterns(),
    ]
    for decorator in (require_admin_access, display_custom_404, never_cache):
        patterns = decorate_urlpatterns(patterns, decorator)
    return patterns
