from django import template
from django.db.models import Prefetch

from govsite.sites.models import Organisation, OrganisationGroup

register = template.Library()


@register.inclusion_tag("sites/org_directory.html", takes_context=True)
def org_directory(context: template.Context) -> dict:
    """The 部门网站导航: every organisation of the cluster, grouped, linked where it has a site."""
    groups = OrganisationGroup.objects.prefetch_related(
        Prefetch("organisations", queryset=Organisation.objects.select_related("site"))
    )
    request = context.get("request")
    current_site = getattr(request, "_wagtail_site", None)
    return {"groups": groups, "current_site": current_site, "request": request}
