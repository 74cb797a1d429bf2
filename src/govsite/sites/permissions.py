"""Per-site permissions (Wagtail's GroupSitePermission): which sites a user holds a permission on.

A department's handlers (依申请公开, 征集调查 …) hold their app's permission on their own site only;
every list and every row loaded by id is filtered by `sites_with_permission`.
"""

from __future__ import annotations

from typing import cast

from django.db.models import QuerySet
from wagtail.models import GroupSitePermission, Site

from govsite.core.types import RequestUser


def sites_with_permission(user: RequestUser, codename: str) -> QuerySet[Site]:
    """The sites on which `user` holds `codename` (all of them for platform administrators)."""
    sites = cast("QuerySet[Site]", Site.objects.all())
    if not user.is_authenticated or not user.is_active:
        return sites.none()
    if user.is_superuser:
        return sites
    granted = GroupSitePermission.objects.filter(group__user=user, permission__codename=codename)
    return sites.filter(pk__in=granted.values("site_id"))
