"""The admin dashboard (编辑工作台): what waits for the user, first.

Each panel is one or two queries over the user's own department sites (`scope.py`): 待我审核
(with the blocking check findings and how long it has waited), 被退回 (with the reviewer's
comment), 我的草稿, 最近发布 and 更新统计 (articles first published this week and month per site).
Wagtail's own "待您审核" panel is replaced by 待我审核; its other panels follow ours.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.http import HttpRequest
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import Page, Site, TaskState, WorkflowState, get_default_page_content_type

from govsite.checks.services import blocking_counts
from govsite.core.types import RequestUser
from govsite.sites.models import admin_sites
from govsite.workflow.models import is_own_review
from govsite.workflow.wagtail_hooks import REVIEWED_PAGE_TYPES

from .scope import page_scope, site_of, user_sites

PANEL_LIMIT = 10


def waited(since: datetime, now: datetime | None = None) -> str:
    """“已等待 3 小时”: how long something has waited, in the largest whole unit."""
    seconds = max(0, int(((now or timezone.now()) - since).total_seconds()))
    if seconds >= 86400:
        return f"已等待 {seconds // 86400} 天"
    if seconds >= 3600:
        return f"已等待 {seconds // 3600} 小时"
    return f"已等待 {max(1, seconds // 60)} 分钟"


def manuscripts() -> Any:
    """稿件: the page types that go through 三审 (articles and information pages)."""
    return Page.objects.type(*REVIEWED_PAGE_TYPES)


def _pages_by_id(ids: list[int], user: RequestUser) -> dict[int, Page]:
    """The pages of these ids within the user's sites, with their column (parent) titles: 2 queries."""
    pages: dict[int, Page] = (
        Page.objects.filter(page_scope(user), pk__in=ids).select_related("latest_revision").in_bulk()
    )
    parents = dict(
        Page.objects.filter(path__in={p.path[: -Page.steplen] for p in pages.values()}).values_list(
            "path", "title"
        )
    )
    for page in pages.values():
        page.column_title = parents.get(page.path[: -Page.steplen], "")
    return pages


def waiting_for(user: RequestUser, limit: int = PANEL_LIMIT) -> list[dict[str, Any]]:
    """待我审核: review steps waiting on the user (not their own submissions), oldest first."""
    rows = waiting_rows(user, limit)
    counts = blocking_counts([row["page"] for row in rows])
    for row in rows:
        row["blocking"] = counts[row["page"].pk]
    return rows


def waiting_rows(user: RequestUser, limit: int) -> list[dict[str, Any]]:
    """The steps waiting on the user with their pages and waiting times (no check results)."""
    states = TaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS,
        task__active=True,
        workflow_state__base_content_type=get_default_page_content_type(),
    )
    if not user.is_superuser:
        states = states.filter(task__groupapprovaltask__groups__user=user).exclude(
            workflow_state__requested_by=user
        )
    states = states.select_related("task", "revision", "workflow_state__requested_by")
    states = states.order_by("started_at").distinct()
    candidates = list(states[: limit * 2])
    pages = _pages_by_id([int(s.workflow_state.object_id) for s in candidates], user)
    rows = []
    for state in candidates:
        page = pages.get(int(state.workflow_state.object_id))
        if page is None or is_own_review(state, page.latest_revision, user):
            continue  # not of the user's sites, or the user's own work
        rows.append({"page": page, "state": state, "waited": waited(state.started_at)})
    return rows[:limit]


def sent_back(user: RequestUser, limit: int = PANEL_LIMIT) -> list[dict[str, Any]]:
    """被退回: the user's pages sent back for changes, with who sent them back and why."""
    states = (
        page_workflow_states()
        .filter(status=WorkflowState.STATUS_NEEDS_CHANGES, requested_by=user)
        .select_related("current_task_state__task", "current_task_state__finished_by")
        .order_by("-current_task_state__finished_at")[:limit]
    )
    states = list(states)
    pages = _pages_by_id([int(s.object_id) for s in states], user)
    rows = []
    for state in states:
        page = pages.get(int(state.object_id))
        task_state = state.current_task_state
        if page is None or task_state is None:
            continue
        rows.append(
            {"page": page, "task_state": task_state, "reviewer": display_name(task_state.finished_by)}
        )
    return rows


def my_drafts(user: RequestUser, limit: int = PANEL_LIMIT) -> list[Page]:
    """我的草稿: pages whose latest change is the user's and is not published nor under review."""
    # object_id is text (a generic relation): the ids under review are read, not joined.
    in_review = [int(i) for i in page_workflow_states().active().values_list("object_id", flat=True)]
    pages = list(
        Page.objects.filter(page_scope(user), has_unpublished_changes=True, latest_revision__user=user)
        .exclude(pk__in=in_review)
        .order_by("-latest_revision_created_at")[:limit]
    )
    parents = dict(
        Page.objects.filter(path__in={p.path[: -Page.steplen] for p in pages}).values_list("path", "title")
    )
    for page in pages:
        page.column_title = parents.get(page.path[: -Page.steplen], "")
    return pages


def page_workflow_states() -> Any:
    """Workflow states of pages (not of snippets, whose ids could be the same numbers)."""
    return WorkflowState.objects.filter(base_content_type=get_default_page_content_type())


def recently_published(user: RequestUser, limit: int = PANEL_LIMIT) -> list[dict[str, Any]]:
    """最近发布: the latest publications of 稿件 on the user's sites."""
    sites = user_sites(user)
    pages = list(
        manuscripts()
        .filter(page_scope(user), live=True, last_published_at__isnull=False)
        .order_by("-last_published_at")[:limit]
    )
    return [{"page": page, "site": site_of(page, sites)} for page in pages]


@dataclass
class SiteUpdates:
    site: Site
    week: int
    month: int


def week_and_month_start(now: datetime | None = None) -> tuple[datetime, datetime]:
    today = timezone.localtime(now or timezone.now()).replace(hour=0, minute=0, second=0, microsecond=0)
    return today - timedelta(days=today.weekday()), today.replace(day=1)


def site_updates(user: RequestUser, now: datetime | None = None) -> list[SiteUpdates]:
    """更新统计: 稿件 first published this week and this month on each of the user's sites.

    One grouped query per depth of site root pages (all of them at depth 2 on a normal platform).
    """
    sites = user_sites(user)
    week, month = week_and_month_start(now)
    since = min(week, month)
    counts: dict[str, dict[str, int]] = {}
    for length in {len(site.root_page.path) for site in sites}:
        rows = (
            manuscripts()
            .filter(first_published_at__gte=since)
            .annotate(root=Substr("path", 1, length))
            .order_by()  # no default ordering in the GROUP BY
            .values("root")
            .annotate(
                week=Count("pk", filter=Q(first_published_at__gte=week)),
                month=Count("pk", filter=Q(first_published_at__gte=month)),
            )
        )
        for row in rows:
            counts[row["root"]] = {"week": row["week"], "month": row["month"]}
    result = [
        SiteUpdates(
            site,
            counts.get(site.root_page.path, {}).get("week", 0),
            counts.get(site.root_page.path, {}).get("month", 0),
        )
        for site in sites
    ]
    return sorted(result, key=lambda r: (-r.month, -r.week, r.site.hostname))


def display_name(user: Any) -> str:
    """A colleague's name as the admin shows it (full name, else username); “—” when unknown."""
    if user is None:
        return "—"
    return str(user.get_full_name() or user.get_username())


# --- panels ----------------------------------------------------------------------------------
class EditorialPanel(Component):
    """A dashboard panel: its rows from one function; not shown when it has nothing to say."""

    heading = ""
    empty_text = ""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    def rows(self) -> Any:
        raise NotImplementedError

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        return {"rows": self._rows, "heading": self.heading, "panel_id": self.name}

    def render_html(self, parent_context: Any = None) -> str:
        self._rows = self.rows()
        if not self._rows and not self.empty_text:
            return ""
        html: str = super().render_html(parent_context)
        return html


class WaitingPanel(EditorialPanel):
    name = "govsite_waiting"
    order = 50
    heading = "待我审核"
    template_name = "editorial/includes/waiting_panel.html"

    def rows(self) -> Any:
        return waiting_for(self.request.user)


class SentBackPanel(EditorialPanel):
    name = "govsite_sent_back"
    order = 60
    heading = "被退回"
    template_name = "editorial/includes/sent_back_panel.html"

    def rows(self) -> Any:
        return sent_back(self.request.user)


class DraftsPanel(EditorialPanel):
    name = "govsite_drafts"
    order = 70
    heading = "我的草稿"
    template_name = "editorial/includes/drafts_panel.html"

    def rows(self) -> Any:
        return my_drafts(self.request.user)


class PublishedPanel(EditorialPanel):
    name = "govsite_published"
    order = 80
    heading = "最近发布"
    template_name = "editorial/includes/published_panel.html"

    def rows(self) -> Any:
        return recently_published(self.request.user)


class UpdatesPanel(EditorialPanel):
    name = "govsite_updates"
    order = 90
    heading = "更新统计"
    template_name = "editorial/includes/updates_panel.html"

    def rows(self) -> Any:
        return site_updates(self.request.user)

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        return {
            **super().get_context_data(parent_context),
            "show_statistics": bool(admin_sites(self.request.user)),
        }


PANELS = (WaitingPanel, SentBackPanel, DraftsPanel, PublishedPanel, UpdatesPanel)
