"""Keep the published files in step with the page tree, the site settings and the registry."""

import threading
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from govsite.content.models import ArticlePage, ColumnPage
from govsite.content.signals import (
    page_list_order_changed,
    page_restored,
    page_subpaths_changed,
    page_validity_changed,
    page_withdrawn,
)
from govsite.core.fragments import fragment_cache
from govsite.sites.models import Organisation, OrganisationGroup, SiteProfile

from .jobs import publish_addresses, schedule_rebuild
from .layout import relative_file, site_dir
from .publisher import Address, is_suspended, mark_default_site
from .redirects import write_all_redirect_maps
from .targets import article_change_addresses, page_addresses, site_path


def _after_commit(func: Any) -> None:
    if not is_suspended():
        transaction.on_commit(func)


def _published_before(site: Site, article: ArticlePage) -> bool:
    rel = relative_file(site_path(article) or "")
    return rel is not None and (site_dir(site.hostname) / rel).exists()


def _page_changed(page: Page, change: str | None, old_parent: Page | None = None) -> None:
    with fragment_cache():  # one run: finding the addresses and rendering them share lookups
        _publish_change(page.specific, change, old_parent)


def _publish_change(page: Page, change: str | None, old_parent: Page | None) -> None:
    site = page.get_site()
    if site is None:
        return
    if isinstance(page, ArticlePage):
        change = change or ("update" if _published_before(site, page) else "insert")
        addresses = article_change_addresses(page, change)
        if old_parent is not None:  # moved: its old columns lose it, its old address redirects
            old_columns = ColumnPage.objects.ancestor_of(old_parent, inclusive=True).live().specific()
            addresses |= article_change_addresses(page, "remove", old_columns)
            old_path = (site_path(old_parent) or "/") + page.file_path
            addresses.add(Address(old_path))
        publish_addresses(site, addresses)
    else:
        # Columns, information pages and the home page show in menus, breadcrumbs and the site
        # map of every page: publish this page now, and the whole site in the background.
        publish_addresses(site, page_addresses(page))
        schedule_rebuild(site)


@receiver(page_published)
def on_page_published(sender: Any, instance: Page, **kwargs: Any) -> None:
    _after_commit(lambda: _page_changed(instance, None))


@receiver(page_unpublished)
def on_page_unpublished(sender: Any, instance: Page, **kwargs: Any) -> None:
    _after_commit(lambda: _page_changed(instance, "remove"))


@receiver(post_page_move)
def on_page_moved(sender: Any, instance: Page, parent_page_before: Page, **kwargs: Any) -> None:
    if kwargs.get("url_path_before") == kwargs.get("url_path_after"):
        return  # reordered among siblings: menus may change, rebuild the site
    if not instance.live:
        return
    _after_commit(lambda: _page_changed(instance, "insert", old_parent=parent_page_before))


@receiver(page_withdrawn)
@receiver(page_validity_changed)
def on_page_withdrawn(sender: Any, instance: Page, **kwargs: Any) -> None:
    """撤稿 (or a change of 文件效力): the address now shows a notice, and lists drop the page."""
    _after_commit(lambda: _page_changed(instance, "remove"))


@receiver(page_restored)
def on_page_restored(sender: Any, instance: Page, **kwargs: Any) -> None:
    _after_commit(lambda: _page_changed(instance, "insert"))


@receiver(page_list_order_changed)
def on_list_order_changed(sender: Any, instance: Page, **kwargs: Any) -> None:
    """A 置顶 ended: the lists that showed the article first are rendered again."""
    if instance.live:
        _after_commit(lambda: _page_changed(instance, "update"))


@receiver(page_subpaths_changed)
def on_page_subpaths_changed(sender: Any, instance: Page, subpaths: list[str], **kwargs: Any) -> None:
    """Render again the routes of a routable page that changed (a message answered on its board)."""

    def publish() -> None:
        site, path = instance.get_site(), site_path(instance)
        if site is not None and path is not None and instance.live:
            publish_addresses(site, [Address(path + subpath) for subpath in subpaths])

    _after_commit(publish)


@receiver(post_delete, sender=ArticlePage)
def on_article_deleted(sender: Any, instance: ArticlePage, **kwargs: Any) -> None:
    site = Site.objects.filter(root_page__in=Page.objects.ancestor_of(instance)).first()
    if site is not None:
        _after_commit(lambda: schedule_rebuild(site))


@receiver(post_save, sender=Site)
def on_site_saved(sender: Any, instance: Site, **kwargs: Any) -> None:
    """A new or changed site (hostname, default flag) is published in full."""

    def publish_site() -> None:
        mark_default_site()
        schedule_rebuild(instance)

    _after_commit(publish_site)


@receiver(post_save, sender=SiteProfile)
def on_site_settings_saved(sender: Any, instance: SiteProfile, **kwargs: Any) -> None:
    _after_commit(lambda: schedule_rebuild(instance.site))


@receiver([post_save, post_delete], sender=Organisation)
@receiver([post_save, post_delete], sender=OrganisationGroup)
def on_registry_changed(sender: Any, **kwargs: Any) -> None:
    """The 部门网站导航 is on every page of every site."""

    def rebuild_all() -> None:
        for site in Site.objects.all():
            schedule_rebuild(site)

    _after_commit(rebuild_all)


# --- Redirect maps --------------------------------------------------------------------------------
# Keep each published site's redirect map (publishing/redirects.py) in step with its redirects.
#
# A redirect created, changed or deleted rewrites the maps of the sites it answers on (every site
# for an "all sites" one), nothing else. A page published, unpublished or moved rewrites the maps of
# the sites whose redirects point at it or below it (their targets' addresses or visibility
# changed), and a move its own site's too: Wagtail creates redirects from the old addresses in bulk,
# without signals.

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
def on_redirect_target_moved(sender: Any, instance: Page, **kwargs: Any) -> None:
    site = instance.get_site()
    _rewrite_after_commit(_target_sites(instance) | ({site.pk} if site is not None else set()))
