"""Run the pre-publication checks on every saved page revision; keep a 校对报告 with each submission."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import Page, Revision, TaskState
from wagtail.signals import page_published, task_submitted

from .models import PageCheck
from .services import record_check, record_proofreading_report, run_checks


@receiver(post_save, sender=Revision)
def check_page_revision(sender: type, instance: Revision, raw: bool = False, **kwargs: Any) -> None:
    """Check each saved page revision, so the editor and the reviewers see the findings."""
    if raw or instance.base_content_type.model_class() is not Page:
        return
    page = Page.objects.filter(pk=instance.object_id).first()
    if page is not None:
        record_check(page, instance)


@receiver(page_published, dispatch_uid="govsite_checks_recheck_published")
def check_published_page(
    sender: type, instance: Page, revision: Revision | None = None, **kwargs: Any
) -> None:
    """Check again once published when the stored findings of the draft miss its 发布日期, which the
    publication has just set (other findings do not depend on publishing; no second run for them)."""
    stored = PageCheck.objects.filter(page_id=instance.pk).values_list("findings", flat=True).first()
    if stored and any(item.get("code") == "missing_date" for item in stored):
        record_check(instance, revision, run_checks(instance))  # the page as it went live, dated


@receiver(task_submitted, dispatch_uid="govsite_checks_proofreading_report")
def keep_proofreading_report(sender: type, instance: TaskState, user: Any = None, **kwargs: Any) -> None:
    """A page submitted (or resubmitted) for review keeps the findings it was submitted with.

    Wagtail sends `task_submitted` (with the task state's specific class as sender) for each step a
    workflow starts; `record_proofreading_report` keeps only the steps a submission started.
    """
    record_proofreading_report(instance, user)
