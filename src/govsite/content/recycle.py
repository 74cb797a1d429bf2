"""回收站 (recycle bin): a page deleted in the admin is unpublished and hidden, not destroyed.

It stays where it was in the tree, marked by a `RecycledPage` row: the explorer hides it, its editors
cannot open it, and the public never sees it (it is not live, so `visibility` lists it nowhere and the
static publisher removes its file on `page_unpublished`). Within `KEEP_DAYS` an editor of its
department restores it (as a draft, at its original place); after that `purge_expired` (run by the
platform clock, workflow/scheduler.py) deletes it for good. 彻底删除 earlier is for site administrators.
"""

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from wagtail.actions.delete_page import DeletePageAction
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.log_actions import log
from wagtail.models import GroupSitePermission, Page, Revision

from .models import RecycledPage

KEEP_DAYS = 30


def in_bin(page: Page) -> bool:
    return RecycledPage.objects.filter(page_id=page.pk).exists()


def may_restore(entry: RecycledPage, user: Any) -> bool:
    """An editor of the page's department: whoever may still edit the page (Wagtail's page permissions,
    granted per department site root)."""
    return bool(entry.page.permissions_for_user(user).can_edit())


def may_purge(entry: RecycledPage, user: Any) -> bool:
    """彻底删除: a site administrator of the page's site (who maintains its settings) or a superuser."""
    if getattr(user, "is_superuser", False):
        return True
    if entry.site_id is None or not may_restore(entry, user):
        return False
    return GroupSitePermission.objects.filter(
        group__user=user, site_id=entry.site_id, permission__codename="change_siteprofile"
    ).exists()


def entries_for(user: Any) -> QuerySet[RecycledPage]:
    """The bin as `user` sees it: the pages they may restore (their department's)."""
    from govsite.sites.admin_scope import visible_pages

    entries = RecycledPage.objects.select_related("page", "user", "site")
    if getattr(user, "is_superuser", False):
        return entries
    return entries.filter(page__in=visible_pages(user).values("pk"))


@transaction.atomic
def bin_page(page: Page, user: Any) -> RecycledPage:
    """Move `page` (and what is below it) to the bin: unpublish, stop its review and scheduled
    publications, and mark it. Deleting a page already in the bin leaves it there."""
    page = page.specific
    existing = RecycledPage.objects.filter(page_id=page.pk).first()
    if existing is not None:
        return existing
    if not page.permissions_for_user(user).can_delete():
        raise PermissionDenied("没有删除该页面的权限。")
    was_live = bool(page.live)
    subtree = Page.objects.descendant_of(page, inclusive=True)
    Revision.page_revisions.filter(
        object_id__in=[str(pk) for pk in subtree.values_list("pk", flat=True)]
    ).update(approved_go_live_at=None)
    workflow_state = page.current_workflow_state
    if workflow_state is not None:
        workflow_state.cancel(user=user)
    if was_live or subtree.filter(live=True).exists():
        if page.live:
            UnpublishPageAction(page, user=user, include_descendants=True).execute(
                skip_permission_checks=True
            )
        else:
            for child in subtree.filter(live=True).exclude(pk=page.pk).specific():
                UnpublishPageAction(child, user=user).execute(skip_permission_checks=True)
    entry = RecycledPage.objects.create(
        page=page, site=page.get_site(), title=page.title, was_live=was_live, user=user
    )
    log(instance=page, action="govsite.recycle", user=user)
    return entry


@transaction.atomic
def restore(entry: RecycledPage, user: Any) -> Page:
    """恢复: the page leaves the bin, at its original place, as a draft to publish again."""
    if not may_restore(entry, user):
        raise PermissionDenied("没有恢复该页面的权限。")
    page = entry.page
    entry.delete()
    log(instance=page, action="govsite.recycle.restore", user=user)
    return page


@transaction.atomic
def purge(entry: RecycledPage, user: Any | None = None) -> None:
    """彻底删除: Wagtail's own deletion (the page and its descendants, logged)."""
    if user is not None and not may_purge(entry, user):
        raise PermissionDenied("只有网站管理员可以彻底删除。")
    DeletePageAction(entry.page.specific, user=user).execute(skip_permission_checks=True)


def purge_expired(now: Any = None) -> int:
    """Delete for good what has been in the bin longer than `KEEP_DAYS` (run by the platform clock)."""
    cutoff = (now or timezone.now()) - timedelta(days=KEEP_DAYS)
    count = 0
    for entry in RecycledPage.objects.filter(deleted_at__lte=cutoff).select_related("page"):
        purge(entry)
        count += 1
    return count
