"""What the workflow views do, kept apart from HTTP so tests and commands can call it."""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page, WorkflowState

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
