from django import template
from django.template.context import Context
from wagtail.models import Page

from govsite.versions.registry import STANDARD, versioned_url

register = template.Library()


@register.simple_tag(takes_context=True)
def href(context: Context, target: Page | str | None) -> str:
    """The address of a page (or a site-relative URL) in the reader's current version."""
    if target is None:
        return ""
    request = context.get("request")
    url = target if isinstance(target, str) else (target.get_url(request) or "")
    return versioned_url(url, getattr(request, "govsite_version", STANDARD))
