"""Who handles which site's 找错 reports: `handle_errorreport`, granted per site.

Provisioning gives it to a department's 网站管理员 group as a GroupSitePermission on the department's
site (signal_handlers.py), so a handler sees only their own site's reports; platform administrators
see all. A report loaded by id is checked like the list.
"""

from __future__ import annotations

from typing import cast

from django.db.models import QuerySet
from django.http import Http404
from wagtail.models import GroupSitePermission, Site

from govsite.core.types import RequestUser

from .models import ErrorReport

PERMISSION = "handle_errorreport"


def handler_sites(user: RequestUser) -> QuerySet[Site]:
    sites = cast("QuerySet[Site]", Site.objects.all())
    if not user.is_authenticated or not user.is_active:
        return sites.none()
    if user.is_superuser:
        return sites
    granted = GroupSitePermission.objects.filter(group__user=user, permission__codename=PERMISSION)
    return sites.filter(pk__in=granted.values("site_id"))


def visible_reports(user: RequestUser) -> QuerySet[ErrorReport]:
    return ErrorReport.objects.filter(site__in=handler_sites(user))


def report_for(user: RequestUser, pk: int) -> ErrorReport:
    """Another department's report loaded by id is a 404, as if it did not exist."""
    report = visible_reports(user).filter(pk=pk).select_related("site").first()
    if report is None:
        raise Http404("没有这条纠错信息，或您无权处理。")
    return report
