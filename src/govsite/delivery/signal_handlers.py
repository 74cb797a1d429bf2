"""Every publish becomes a changeset; the site's targets receive it in the background."""

from typing import Any

from django.dispatch import receiver
from wagtail.models import Site

from govsite.core.background import enqueue_once
from govsite.publishing.signals import files_changed

from .changesets import record
from .service import targets_for
from .tasks import deliver_site_task


@receiver(files_changed)
def on_files_changed(sender: Any, site: Site, paths: list[str] | None, **kwargs: Any) -> None:
    record(site, paths)
    if targets_for(site).exists():
        enqueue_once(deliver_site_task, site.pk)
