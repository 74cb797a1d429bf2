"""Which department sites a user works on: the scope of every editorial screen.

A user's sites are those whose page tree holds a page their groups have permissions on (editors,
终审, site administrators) and those whose 三审 names one of their groups (初审/复审 reviewers, who
hold no page permissions). Platform administrators work on every site. Titles of other
departments never reach a dashboard panel, a statistic or an 审批单.
"""

from django.db.models import Q
from wagtail.models import GroupPagePermission, Page, Site

from govsite.core.types import RequestUser
from govsite.workflow.models import SiteWorkflow


def user_sites(user: RequestUser) -> list[Site]:
    """The sites `user` works on, by hostname (cached on the user object for the request)."""
    cached: list[Site] | None = getattr(user, "_govsite_editorial_sites", None)
    if cached is not None:
        return cached
    sites = list(Site.objects.select_related("root_page").order_by("hostname"))
    if not user.is_active:
        sites = []
    elif not user.is_superuser:
        paths = list(
            GroupPagePermission.objects.filter(group__user=user)
            .values_list("page__path", flat=True)
            .distinct()
        )
        reviewed = set(
            SiteWorkflow.objects.filter(
                workflow__workflow_tasks__task__groupapprovaltask__groups__user=user
            ).values_list("site_id", flat=True)
        )
        sites = [
            site
            for site in sites
            if site.pk in reviewed or any(path.startswith(site.root_page.path) for path in paths)
        ]
    user._govsite_editorial_sites = sites  # type: ignore[union-attr]
    return sites


def page_scope(user: RequestUser) -> Q:
    """A filter for pages of the user's sites (nothing for a user without sites)."""
    if user.is_superuser and user.is_active:
        return Q()
    roots = [site.root_page.path for site in user_sites(user)]
    if not roots:
        return Q(pk__in=[])
    scope = Q()
    for path in roots:
        scope |= Q(path__startswith=path)
    return scope


def site_of(page: Page, sites: list[Site]) -> Site | None:
    """Which of `sites` holds `page` (by tree path, no query)."""
    for site in sites:
        if page.path.startswith(site.root_page.path):
            return site
    return None
