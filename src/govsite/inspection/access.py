"""Who sees which sites' inspections: a department's people see their own sites, the platform office
(superusers and holders of `view_cluster`) sees every site and the ranking. A run, a report or a
button loaded by id is checked against the same list, so another department's run is not found."""

from __future__ import annotations

from typing import cast

from django.db.models import QuerySet
from django.http import Http404
from wagtail.models import GroupPagePermission, Site

from govsite.core.types import RequestUser
from govsite.sites.models import admin_sites

from .models import InspectionRun

CLUSTER_PERMISSION = "govsite_inspection.view_cluster"


def sees_cluster(user: RequestUser) -> bool:
    """The platform office: every site and the cluster ranking."""
    return bool(user.is_active and (user.is_superuser or user.has_perm(CLUSTER_PERMISSION)))


def visible_sites(user: RequestUser) -> QuerySet[Site]:
    """The sites whose inspections `user` may read: those whose page tree holds a page their groups
    have permissions on (editors, 终审, site administrators) and those they administer."""
    sites = cast("QuerySet[Site]", Site.objects.select_related("root_page").order_by("hostname"))
    if not user.is_authenticated or not user.is_active:
        return sites.none()
    if sees_cluster(user):
        return sites
    paths = set(
        GroupPagePermission.objects.filter(group__user=user).values_list("page__path", flat=True).distinct()
    )
    ids = {site.pk for site in admin_sites(user)}
    for site in sites:
        root = site.root_page.path
        if any(path.startswith(root) or root.startswith(path) for path in paths):
            ids.add(site.pk)
    return sites.filter(pk__in=ids)


def site_for(user: RequestUser, site_id: int) -> Site:
    """A site of the user's list, or 404 (another department's site is not found)."""
    site = visible_sites(user).filter(pk=site_id).first()
    if site is None:
        raise Http404("没有找到该网站。")
    return site


def run_for(user: RequestUser, run_id: int) -> InspectionRun:
    """A run of one of the user's sites, or 404."""
    run = (
        InspectionRun.objects.filter(pk=run_id, site__in=visible_sites(user).values("pk"))
        .select_related("site")
        .first()
    )
    if run is None:
        raise Http404("没有找到该体检记录。")
    return run
