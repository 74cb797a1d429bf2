from django import template
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from govsite.core.fragments import cached_fragment
from govsite.sites.models import Organisation, OrganisationGroup
from govsite.versions.registry import STANDARD

register = template.Library()


@register.simple_tag(takes_context=True)
def org_directory(context: template.Context) -> SafeString:
    """The 部门网站导航: every organisation of the cluster, grouped, linked where it has a site."""
    request = context.get("request")
    current_site = context.get("current_site")

    def render() -> str:
        groups = OrganisationGroup.objects.prefetch_related(
            Prefetch("organisations", queryset=Organisation.objects.select_related("site"))
        )
        return render_to_string(
            "sites/org_directory.html", {"groups": groups, "current_site": current_site}, request
        )

    return cached_fragment(("org_directory", getattr(current_site, "pk", None)), render)


@register.simple_tag(takes_context=True)
def site_footer(context: template.Context) -> SafeString:
    """The footer: identity, filings, contacts and link groups from the site's settings."""
    request = context.get("request")
    current_site = context.get("current_site")
    version = getattr(request, "govsite_version", STANDARD)

    def render() -> str:
        return render_to_string("includes/footer.html", {"profile": context.get("profile")}, request)

    return cached_fragment(("footer", getattr(current_site, "pk", None), version.key), render)
