"""Keep each published site's redirect map (publishing/redirects.py) in step with its redirects.

A redirect created, changed or deleted rewrites the maps of the sites it answers on (every site
for an "all sites" one), nothing else. A page published, unpublished or moved rewrites the maps of
the sites whose redirects point at it or below it (their targets' addresses or visibility
changed), and a move its own site's too: Wagtail creates redirects from the old addresses in bulk,
without signals.
"""

import threading
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .publisher import is_suspended
from .redirects import write_all_redirect_maps

ALL_SITES = None


_pending = threading.local()


def _rewrite_after_commit(site_ids: set[int | None]) -> None:
    """Rewrite the maps of these sites (None: every site) once the change is committed.

    Many redirects saved in one transaction rewrite each map once: the first callback takes every
    pending site, the others find nothing left (ids of a rolled-back change only cost a rewrite)."""
    if is_suspended() or not site_ids:
        return
    if not hasattr(_pending, "site_ids"):
        _pending.site_ids = set()
    _pending.site_ids |= site_ids
    transaction.on_commit(_rewrite_pending)


def _rewrite_pending() -> None:
    site_ids: set[int | None] = getattr(_pending, "site_ids", set())
    _pending.site_ids = set()
    if not site_ids:
        return
    sites = Site.objects.all()
    if ALL_SITES not in site_ids:
        sites = sites.filter(pk__in=site_ids)
    write_all_redirect_maps(list(sites))


@receiver(pre_save, sender=Redirect)
def remember_old_site(sender: Any, instance: Redirect, **kwargs: Any) -> None:
    """A redirect moved to another site leaves the old site's map too."""
    if instance.pk:
        old = Redirect.objects.filter(pk=instance.pk).values_list("site_id", flat=True).first()
        instance._govsite_old_site_ids = {old}


@receiver(post_save, sender=Redirect)
@receiver(post_delete, sender=Redirect)
def on_redirect_changed(sender: Any, instance: Redirect, **kwargs: Any) -> None:
    old: set[int | None] = getattr(instance, "_govsite_old_site_ids", set())
    _rewrite_after_commit({instance.site_id, *old})


def _target_sites(page: Page) -> set[int | None]:
    """Sites whose redirects point at `page` or a page below it."""
    rows = Redirect.objects.filter(redirect_page__path__startswith=page.path)
    return set(rows.values_list("site_id", flat=True).distinct())


@receiver(page_published)
@receiver(page_unpublished)
def on_target_changed(sender: Any, instance: Page, **kwargs: Any) -> None:
    _rewrite_after_commit(_target_sites(instance))


@receiver(post_page_move)
def on_page_moved(sender: Any, instance: Page, **kwargs: Any) -> None:
    site = instance.get_site()
    _rewrite_after_commit(_target_sites(instance) | ({site.pk} if site is not None else set()))
