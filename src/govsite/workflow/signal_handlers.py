"""Run the pre-publication checks on every save, and tell listeners when a page is withdrawn."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import Signal, receiver
from wagtail.models import Page, Revision

from .checks import record_check

# Sent with `instance` (the page) when 撤稿 is applied or lifted. The page stays live, so
# page_published/page_unpublished are not sent: the static publisher must re-render on these.
page_withdrawn = Signal()
page_restored = Signal()


@receiver(post_save, sender=Revision)
def check_page_revision(sender: type, instance: Revision, raw: bool = False, **kwargs: Any) -> None:
    """Check each saved page revision, so the editor and the reviewers see the findings."""
    if raw or instance.base_content_type.model_class() is not Page:
        return
    page = Page.objects.filter(pk=instance.object_id).first()
    if page is not None:
        record_check(page, instance)
