"""What the workflow views do, kept apart from HTTP so tests and commands can call it."""

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from wagtail.log_actions import log
from wagtail.models import Page, TaskState, WorkflowState

from govsite.checks.services import ChecksBlocked, log_checks_blocked, run_checks, unresolved_blocking

from .models import Release, UrgentPublication


def can_publish(page: Page, user: Any) -> bool:
    allowed: bool = page.permissions_for_user(user).can_publish()
    return allowed


def is_reviewer_of(page: Page, user: Any) -> bool:
    task = page.current_workflow_task
    return bool(task and task.specific.user_can_access_editor(page, user))


def can_urgent_publish(page: Page, user: Any) -> bool:
    return user.has_perm("govsite_workflow.urgent_publish") and can_publish(page, user)


@transaction.atomic
def urgent_publish(page: Page, user: Any, reason: str) -> UrgentPublication:
    """紧急发布: publish the latest revision now and start the review that must follow."""
    page = page.specific
    if not can_urgent_publish(page, user):
        raise PermissionDenied("没有紧急发布的权限。")
    if not reason.strip():
        raise ValidationError("请填写紧急发布理由。")
    blocking = unresolved_blocking(page)
    if blocking:
        log_checks_blocked(page, user, blocking, "urgent_publish")
        raise ChecksBlocked(blocking)
    if page.current_workflow_state:
        page.current_workflow_state.cancel(user=user)
    revision = page.get_latest_revision() or page.save_revision(user=user)
    revision.publish(user=user)
    page = page.specific_class.objects.get(pk=page.pk)
    workflow = page.get_workflow()
    state = workflow.start(page, user) if workflow else None
    urgent = UrgentPublication.objects.create(
        page=page, revision=revision, workflow_state=state, reason=reason, user=user
    )
    log(
        instance=page,
        action="govsite.urgent_publish",
        user=user,
        revision=revision,
        data={"reason": reason, "review": state.workflow.name if state else ""},
    )
    return urgent


def pending_urgent_reviews(user: Any) -> list[UrgentPublication]:
    """Urgent publications whose review is not finished, that this user reviews or published."""
    items = UrgentPublication.objects.select_related("page", "workflow_state", "user").filter(
        workflow_state__status__in=[WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES]
    )
    visible = []
    for item in items:
        page = item.page.specific
        if (
            user.is_superuser
            or item.user_id == user.pk
            or can_publish(page, user)
            or is_reviewer_of(page, user)
        ):
            visible.append(item)
    return visible


@transaction.atomic
def schedule_release(title: str, go_live_at: datetime, pages: list[Page], user: Any) -> Release:
    """联合发布: schedule the latest version of every page for the same minute, or none of them."""
    if go_live_at <= timezone.now():
        raise ValidationError("联合发布时间必须晚于现在。")
    specific = [page.specific for page in pages]
    problems = []
    for page in specific:
        if not can_publish(page, user):
            raise PermissionDenied(f"没有发布《{page.title}》的权限。")
        if page.workflow_in_progress:
            problems.append(f"《{page.title}》尚未完成审核")
        revision = page.get_latest_revision()
        draft = revision.as_object() if revision else page
        blocking = unresolved_blocking(page, run_checks(draft))
        if blocking:
            log_checks_blocked(page, user, blocking, "release")
            problems.append(f"《{page.title}》有 {len(blocking)} 个阻止发布的问题")
    if problems:
        raise ValidationError("；".join(problems))
    release = Release.objects.create(
        site=specific[0].get_site(), title=title, go_live_at=go_live_at, user=user
    )
    release.pages.set(specific)
    for page in specific:
        revision = page.get_latest_revision()
        draft = revision.as_object() if revision else page
        draft.go_live_at = go_live_at
        scheduled = draft.save_revision(user=user, log_action=False, clean=False)
        scheduled.publish(user=user)  # a future go_live_at schedules instead of publishing
        log(
            instance=page,
            action="govsite.release",
            user=user,
            data={"release": title, "at": go_live_at.isoformat()},
        )
    return release


def step_name(task_name: str) -> str:
    """A step's name without its department prefix: 科学技术厅-复审 → 复审."""
    return task_name.split("-", 1)[-1]


def review_outcome(page: Page, user: Any, within: timedelta = timedelta(minutes=10)) -> str | SafeString:
    """What the reviewer's latest decision on `page` did, to tell them where they land afterwards.

    Only their own decision of the last minutes counts (the page itself may no longer be open to them).
    """
    decided = (
        TaskState.objects.filter(
            workflow_state__in=WorkflowState.objects.for_instance(page),
            finished_by=user,
            finished_at__gte=timezone.now() - within,
        )
        .select_related("workflow_state__current_task_state__task")
        .order_by("-finished_at")
        .first()
    )
    if decided is None:
        return ""
    title = page.title
    if decided.status == TaskState.STATUS_REJECTED:
        return f"《{title}》已退回修改。"
    if decided.status != TaskState.STATUS_APPROVED:
        return ""
    workflow_state = decided.workflow_state
    if workflow_state.status == WorkflowState.STATUS_IN_PROGRESS and workflow_state.current_task_state:
        return f"《{title}》已批准，已转{step_name(workflow_state.current_task_state.task.name)}。"
    page = page.specific_class.objects.get(pk=page.pk)
    latest = page.get_latest_revision()
    if page.live and latest is not None and page.live_revision_id == latest.pk:
        url = page.full_url or ""
        return format_html('《{}》已批准并已发布：<a href="{}" target="_blank">{}</a>', title, url, url)
    if latest is not None and latest.approved_go_live_at:
        at = timezone.localtime(latest.approved_go_live_at)
        return f"《{title}》已批准，将于 {at:%Y-%m-%d %H:%M} 定时发布。"
    return f"《{title}》已批准。"
