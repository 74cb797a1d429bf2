"""三审 review, each site's review workflow, 紧急发布 and 联合发布.

(撤稿 and 文件效力 are page-lifecycle states of the content app: govsite.content.models.)
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.urls import reverse
from wagtail.models import GroupApprovalTask, Page, Site, TaskState, WorkflowState

from govsite.checks.services import unresolved_blocking
from govsite.sites.models import admin_sites

__all__ = ["admin_sites"]  # re-exported for the workflow views


def is_own_review(task_state: TaskState | None, latest_revision: Any, user: Any) -> bool:
    """Whether `user` submitted the reviewed page or wrote the version the step received: nobody
    reviews their own work (the action menu and every 待我审核 list ask this).

    A reviewer's own corrections during their step (a typo fixed) do not make them its author:
    the step's task state keeps the revision it started with, and that one counts.
    """
    if task_state is not None and task_state.workflow_state.requested_by_id == user.pk:
        return True
    received = task_state.revision if task_state is not None and task_state.revision_id else latest_revision
    return bool(received and received.user_id == user.pk)


class ReviewTask(GroupApprovalTask):
    """A 三审 step (初审/复审/终审): group approval where nobody approves their own change.

    The person who submitted the workflow and the author of the version the step received see no
    approve/reject actions (a reviewer who corrects the text during their own step still decides);
    the step whose approval publishes also hides "approve" while blocking check findings are
    neither fixed nor overridden.
    """

    class Meta:
        verbose_name = "三审审核步骤"
        verbose_name_plural = "三审审核步骤"

    @staticmethod
    def is_own_change(obj: Any, user: Any) -> bool:
        """Whether `user` submitted the page or wrote the version this step received."""
        state = getattr(obj, "current_workflow_state", None)
        latest = obj.get_latest_revision() if hasattr(obj, "get_latest_revision") else None
        if state and state.requested_by_id == user.pk:
            return True
        return is_own_review(state.current_task_state if state else None, latest, user)

    def is_last_step(self, obj: Any) -> bool:
        state = getattr(obj, "current_workflow_state", None)
        if state is None:
            return True
        last = state.workflow.workflow_tasks.filter(task__active=True).order_by("-sort_order").first()
        return last is None or last.task_id == self.pk

    def get_actions(self, obj: Any, user: Any) -> list[tuple[str, str, bool]]:
        actions: list[tuple[str, str, bool]] = super().get_actions(obj, user)
        if not actions or self.is_own_change(obj, user):
            return []
        if self.is_last_step(obj) and isinstance(obj, Page) and unresolved_blocking(obj.specific):
            return [action for action in actions if action[0] != "approve"]
        return actions

    def on_action(self, task_state: TaskState, user: Any, action_name: str, **kwargs: Any) -> str:
        obj = task_state.workflow_state.content_object
        if self.is_own_change(obj, user):
            raise PermissionDenied("不能审核自己提交或修改的稿件。")
        last_approval = action_name == "approve" and self.is_last_step(obj) and isinstance(obj, Page)
        if last_approval and unresolved_blocking(obj.specific):
            raise PermissionDenied("稿件存在未处理的阻止发布问题。")
        super().on_action(task_state, user, action_name, **kwargs)
        # Wagtail's action view goes back to the page's editor, which a reviewer whose step is done
        # may no longer open: land on 我的待审, which says what the decision did.
        return f"{reverse('govsite_workflow:my_reviews')}?done={obj.pk}"

    @classmethod
    def get_description(cls) -> str:
        return "所选用户组的成员审核本步骤；作者本人不能审核自己的稿件。"


class SiteWorkflow(models.Model):
    """Which workflow reviews a department site, and the department's short name for its groups."""

    site = models.OneToOneField(Site, verbose_name="站点", on_delete=models.CASCADE, related_name="review")
    department = models.CharField("部门简称", max_length=60)
    workflow = models.ForeignKey(
        "wagtailcore.Workflow", verbose_name="审核流程", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "站点审核流程"
        verbose_name_plural = "站点审核流程"
        permissions = [("urgent_publish", "可以紧急发布（发布后补审）")]

    def __str__(self) -> str:
        return f"{self.department}：{self.workflow}"


class UrgentPublication(models.Model):
    """紧急发布: published at once by an authorised user; the review runs afterwards."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="urgent_publications")
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    workflow_state = models.ForeignKey(
        WorkflowState, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField("紧急发布理由")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "紧急发布"
        verbose_name_plural = "紧急发布"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.page_id} @ {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def review_pending(self) -> bool:
        state = self.workflow_state  # no query when workflow_state_id is None
        return state is not None and state.status in (
            WorkflowState.STATUS_IN_PROGRESS,
            WorkflowState.STATUS_NEEDS_CHANGES,
        )


class Release(models.Model):
    """联合发布: several pages (a policy, its interpretation, the news item) live at one moment."""

    site = models.ForeignKey(Site, verbose_name="站点", on_delete=models.CASCADE, related_name="+")
    title = models.CharField("名称", max_length=100)
    go_live_at = models.DateTimeField("发布时间")
    pages = models.ManyToManyField(Page, verbose_name="稿件", related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "联合发布"
        verbose_name_plural = "联合发布"
        ordering = ["-go_live_at"]

    def __str__(self) -> str:
        return self.title
