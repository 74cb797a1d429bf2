"""站内信 from Wagtail's workflow and publishing signals.

Wagtail already e-mails the same events (a step waiting for a group, a submission sent back or
approved) through its own notifiers when mail is configured (`EMAIL_URL`), as each user chooses in
their account settings; these handlers add the in-admin message and send no second e-mail.
Recipients are the page's own people (its review step's groups, its author and submitter), so a
message never goes to another department.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.dispatch import receiver
from django.urls import reverse
from wagtail.models import GroupApprovalTask, Page, PageLogEntry, TaskState, WorkflowState
from wagtail.signals import page_published, task_submitted, workflow_approved, workflow_rejected

from govsite.disclosure.deadlines import Deadline
from govsite.disclosure.models import DisclosureRequest, ReminderKind
from govsite.disclosure.signals import deadline_reminder
from govsite.workdays.calendar import format_day
from govsite.workflow.wagtail_hooks import REVIEWED_PAGE_TYPES

from .dashboard import display_name
from .models import Notification
from .scope import page_scope

TEXT_LENGTH = 400


def notify(user_ids: Iterable[int | None], kind: str, page: Page, text: str) -> list[Notification]:
    """One message per recipient about `page`, linking to its editor."""
    link = reverse("wagtailadmin_pages:edit", args=[page.pk])
    text = text if len(text) <= TEXT_LENGTH else text[: TEXT_LENGTH - 1] + "…"
    return Notification.objects.bulk_create(
        Notification(recipient_id=pk, kind=kind, page_id=page.pk, text=text, link=link)
        for pk in sorted({pk for pk in user_ids if pk is not None})
    )


def _page(state: WorkflowState) -> Page | None:
    page = state.content_object
    return page if isinstance(page, Page) else None


@receiver(task_submitted, dispatch_uid="govsite_editorial_task_submitted")
def on_task_submitted(sender: Any, instance: TaskState, user: Any = None, **kwargs: Any) -> None:
    """A review step started: tell the members of its groups (not whoever submitted the page)."""
    task = instance.task.specific
    page = _page(instance.workflow_state)
    if page is None or not isinstance(task, GroupApprovalTask):
        return
    requester = instance.workflow_state.requested_by
    members = set(
        get_user_model()
        .objects.filter(is_active=True, groups__in=task.groups.all())
        .values_list("pk", flat=True)
    )
    notify(
        members - {getattr(requester, "pk", None)},
        Notification.Kind.REVIEW,
        page,
        f"《{page.title}》等待您审核（{task.name}），提交人：{display_name(requester)}。",
    )


@receiver(workflow_rejected, dispatch_uid="govsite_editorial_workflow_rejected")
def on_workflow_rejected(sender: Any, instance: WorkflowState, user: Any = None, **kwargs: Any) -> None:
    """Sent back (要求修改): tell the person who submitted it, with the reviewer's comment."""
    page = _page(instance)
    step = instance.current_task_state
    if page is None or step is None:
        return
    comment = step.comment.strip() or "未填写意见"
    notify(
        [instance.requested_by_id],
        Notification.Kind.REJECTED,
        page,
        f"《{page.title}》被退回修改（{step.task.name}，{display_name(user)}）：{comment}",
    )


@receiver(workflow_approved, dispatch_uid="govsite_editorial_workflow_approved")
def on_workflow_approved(sender: Any, instance: WorkflowState, user: Any = None, **kwargs: Any) -> None:
    """Approved at the last step. Published at once: the 已发布 message says so; scheduled: say when."""
    page = _page(instance)
    if page is None:
        return
    revision = page.get_latest_revision()
    go_live_at = revision.approved_go_live_at if revision else None
    if go_live_at is None:
        return  # published now: on_page_published tells the author
    notify(
        [instance.requested_by_id],
        Notification.Kind.APPROVED,
        page,
        f"《{page.title}》已通过审核（{display_name(user)}），将于 {go_live_at:%Y-%m-%d %H:%M} 定时发布。",
    )


@receiver(page_published, dispatch_uid="govsite_editorial_page_published")
def on_page_published(sender: Any, instance: Page, revision: Any = None, **kwargs: Any) -> None:
    """A 稿件 went live: tell its author and whoever submitted it for review, not the publisher."""
    if not isinstance(instance, REVIEWED_PAGE_TYPES):
        return
    entry = PageLogEntry.objects.filter(page=instance, action="wagtail.publish").order_by("-pk").first()
    publisher = entry.user_id if entry else None
    state = instance.workflow_states.order_by("-created_at").first()
    candidates = {
        instance.owner_id,
        getattr(revision, "user_id", None),
        state.requested_by_id if state else None,
    }
    user_model = get_user_model()
    recipients = [
        user.pk
        for user in user_model.objects.filter(pk__in=candidates - {publisher, None}, is_active=True)
        if Page.objects.filter(page_scope(user), pk=instance.pk).exists()  # still of their department
    ]
    notify(recipients, Notification.Kind.PUBLISHED, instance, f"《{instance.title}》已发布。")


@receiver(deadline_reminder, dispatch_uid="govsite_editorial_disclosure_deadline")
def on_disclosure_deadline(
    sender: Any, case: DisclosureRequest, kind: str, deadline: Deadline, recipients: list[int], **kwargs: Any
) -> None:
    """依申请公开 due soon or overdue: tell the site's handlers (the 受理编号 only, no personal data)."""
    assert deadline.due is not None and deadline.days_left is not None  # noqa: S101 - reminders.py sends known dates
    if kind == ReminderKind.OVERDUE:
        state = f"已超期 {-deadline.days_left} 个工作日"
    else:
        state = f"剩余 {deadline.days_left} 个工作日"
    due = format_day(deadline.due)
    text = (
        f"依申请公开 {case.number}（{case.site.site_name}）：{deadline.label}为 {due}，{state}，请及时办理。"
    )
    link = reverse("govsite_disclosure:detail", args=[case.pk])
    Notification.objects.bulk_create(
        Notification(recipient_id=pk, kind=Notification.Kind.DISCLOSURE, text=text, link=link)
        for pk in sorted(set(recipients))
    )
