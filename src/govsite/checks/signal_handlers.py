"""Run the pre-publication checks on every saved page revision; keep a 校对报告 with each submission."""

from functools import partial
from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import Page, Revision, TaskState
from wagtail.signals import page_published, task_submitted

from govsite.core.bulk import defer

from .models import PageCheck
from .services import record_check, record_proofreading_report, run_checks


@receiver(post_save, sender=Revision)
def check_page_revision(sender: type, instance: Revision, raw: bool = False, **kwargs: Any) -> None:
    """Check each saved page revision, so the editor and the reviewers see the findings."""
    if raw or instance.base_content_type.model_class() is not Page:
        return
    if defer(("checks", int(instance.object_id)), partial(check_as_built, int(instance.object_id), instance)):
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
    if defer(("checks", instance.pk), partial(check_as_built, instance.pk)):
        return
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


def check_as_built(page_id: int, saved: Revision | None = None) -> None:
    """At the end of a bulk build (core/bulk.py): what the two receivers above store for the page's
    last revision and, if that is the live one, its publication. As published, the page holds the
    revision and its dates: its findings are the ones stored after publishing, checked once.

    A draft whose last revision is `saved` is checked as the page object that saved it (what the
    revision holds, without reading it back: a third of an import's checking time)."""
    draft = saved_page(saved) if saved is not None else None
    if saved is not None and draft is not None:
        state = Page.objects.filter(pk=page_id).values_list("live_revision_id", "latest_revision_id").first()
        if state is not None and state[1] == saved.pk and state[0] != saved.pk:
            record_check(draft, saved, run_checks(draft))
            return
    page = Page.objects.filter(pk=page_id).first()
    revision = page.get_latest_revision() if page is not None else None
    if page is None or revision is None:
        return
    if page.live and page.live_revision_id == revision.pk:
        record_check(page, revision, run_checks(page.specific))
    else:
        record_check(page, revision)


def saved_page(revision: Revision) -> Page | None:
    """The page object `revision` was saved from (`save_revision` creates it with the object), if the
    revision still holds it; None for a revision loaded from the database."""
    page = Revision._meta.get_field("content_object").get_cached_value(revision, None)
    same = isinstance(page, Page) and page.pk == int(revision.object_id)
    return page if same and isinstance(page, page.specific_class) else None
