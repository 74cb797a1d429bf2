"""Run the pre-publication checks on every saved page revision."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import Page, Revision
from wagtail.signals import page_published

from .models import PageCheck
from .services import record_check, run_checks


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
