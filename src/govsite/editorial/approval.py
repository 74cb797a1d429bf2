"""稿件审批单: one page's review history as a signed form, from Wagtail's workflow records.

Every submission (WorkflowState) is a round; every step of it (TaskState) a line with its reviewer,
decision, comment and time. Nothing is recorded twice: the form is read from what Wagtail stores.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from wagtail.models import Page, TaskState, WorkflowState

from .dashboard import display_name, page_workflow_states

ACTIONS = {
    TaskState.STATUS_APPROVED: "批准",
    TaskState.STATUS_REJECTED: "退回修改",
    TaskState.STATUS_CANCELLED: "撤回",
    TaskState.STATUS_IN_PROGRESS: "待审核",
}
OUTCOMES = {
    WorkflowState.STATUS_APPROVED: "审核通过",
    WorkflowState.STATUS_NEEDS_CHANGES: "退回修改",
    WorkflowState.STATUS_CANCELLED: "已撤回",
    WorkflowState.STATUS_IN_PROGRESS: "审核中",
}


@dataclass
class Step:
    name: str
    signer: str
    action: str
    comment: str
    at: datetime | None


@dataclass
class Round:
    submitted_by: str
    submitted_at: datetime
    outcome: str
    steps: list[Step] = field(default_factory=list)


@dataclass
class ApprovalForm:
    page: Page
    column: str
    author: str
    rounds: list[Round]
    first_published_at: datetime | None
    last_published_at: datetime | None

    @property
    def submitted_at(self) -> datetime | None:
        return self.rounds[-1].submitted_at if self.rounds else None


def approval_form(page: Page) -> ApprovalForm:
    """The 审批单 of `page`: each submission round with each step, oldest first (3 queries)."""
    states = list(
        page_workflow_states()
        .filter(object_id=str(page.pk))
        .select_related("requested_by")
        .order_by("created_at", "pk")
    )
    task_states = (
        TaskState.objects.filter(workflow_state__in=states)
        .select_related("task", "finished_by")
        .order_by("started_at", "pk")
    )
    by_state: dict[int, list[Step]] = {}
    for task_state in task_states:
        by_state.setdefault(task_state.workflow_state_id, []).append(
            Step(
                name=task_state.task.name,
                signer=display_name(task_state.finished_by) if task_state.finished_by_id else "",
                action=ACTIONS.get(task_state.status, task_state.status),
                comment=task_state.comment,
                at=task_state.finished_at,
            )
        )
    rounds = [
        Round(
            submitted_by=display_name(state.requested_by),
            submitted_at=state.created_at,
            outcome=OUTCOMES.get(state.status, state.status),
            steps=by_state.get(state.pk, []),
        )
        for state in states
    ]
    specific: Any = page.specific
    parent = page.get_parent()
    return ApprovalForm(
        page=specific,
        column=parent.title if parent else "",
        author=getattr(specific, "author", "") or display_name(page.owner),
        rounds=rounds,
        first_published_at=page.first_published_at,
        last_published_at=page.last_published_at,
    )
