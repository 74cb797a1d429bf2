from typing import Any

from django import template

from govsite.workflow.models import DocumentValidity

register = template.Library()


@register.simple_tag
def page_validity(page: Any) -> DocumentValidity | None:
    """The 文件效力 record of a page, or None (the page is then simply valid)."""
    if page is None or not getattr(page, "pk", None):
        return None
    return DocumentValidity.objects.filter(page_id=page.pk).select_related("replaced_by").first()
