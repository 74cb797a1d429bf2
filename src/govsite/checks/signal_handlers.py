"""Run the pre-publication checks on every saved page revision."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import Page, Revision

from .services import record_check


@receiver(post_save, sender=Revision)
def check_page_revision(sender: type, instance: Revision, raw: bool = False, **kwargs: Any) -> None:
    """Check each saved page revision, so the editor and the reviewers see the findings."""
    if raw or instance.base_content_type.model_class() is not Page:
        return
    page = Page.objects.filter(pk=instance.object_id).first()
    if page is not None:
        record_check(page, instance)
