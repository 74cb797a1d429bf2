"""Who handles which site's requests: the `handle_disclosure` permission, granted per site.

Provisioning gives it to a department's 网站管理员 group as a GroupSitePermission on the department's
site (signal_handlers.py), so a handler sees only their own site's cases; platform administrators see all.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from wagtail.models import Site

from govsite.core.types import RequestUser
from govsite.sites.permissions import sites_with_permission

from .models import DisclosureRequest

PERMISSION = "handle_disclosure"


def handler_sites(user: RequestUser) -> QuerySet[Site]:
    """The sites whose requests `user` may handle."""
    return sites_with_permission(user, PERMISSION)


def visible_cases(user: RequestUser) -> QuerySet[DisclosureRequest]:
    return DisclosureRequest.objects.filter(site__in=handler_sites(user))


def case_for(user: RequestUser, pk: int) -> DisclosureRequest:
    """A case loaded by id, checked like the list: another department's case is a 404, not a 403."""
    case = visible_cases(user).filter(pk=pk).select_related("site").first()
    if case is None:
        raise Http404("没有这个申请，或您无权办理。")
    return case
