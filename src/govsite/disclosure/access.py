"""Who handles which site's requests: the `handle_disclosure` permission, granted per site.

Provisioning gives it to a department's 网站管理员 group as a GroupSitePermission on the department's
site (signal_handlers.py), so a handler sees only their own site's cases; platform administrators see all.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404
from wagtail.models import GroupSitePermission, Site

from govsite.core.types import RequestUser
from govsite.sites.models import sites_granted

from .models import DisclosureRequest

PERMISSION = "handle_disclosure"


def handler_sites(user: RequestUser) -> QuerySet[Site]:
    """The sites whose requests `user` may handle."""
    return sites_granted(user, PERMISSION)


def site_handler_ids(site: Site) -> list[int]:
    """The active users who handle `site`'s requests through their groups (platform administrators,
    who see every site, are not reminded of each one)."""
    granted = GroupSitePermission.objects.filter(site=site, permission__codename=PERMISSION)
    users = get_user_model().objects.filter(is_active=True, groups__in=granted.values("group_id"))
    return sorted(set(users.values_list("pk", flat=True)))


def visible_cases(user: RequestUser) -> QuerySet[DisclosureRequest]:
    return DisclosureRequest.objects.filter(site__in=handler_sites(user))


def case_for(user: RequestUser, pk: int) -> DisclosureRequest:
    """A case loaded by id, checked like the list: another department's case is a 404, not a 403."""
    case = visible_cases(user).filter(pk=pk).select_related("site").first()
    if case is None:
        raise Http404("没有这个申请，或您无权办理。")
    return case
