"""Template tags for page chrome: column navigation, breadcrumbs, sharing."""

import segno
from django import template
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page, Site

from govsite.content.models import ArticlePage

register = template.Library()


def _site_root(context: template.Context) -> Page | None:
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return site.root_page if site else None


@register.inclusion_tag("content/includes/site_nav.html", takes_context=True)
def site_nav(context: template.Context) -> dict:
    """The main column navigation: 网站首页 and the site's top-level columns shown in menus."""
    root = _site_root(context)
    page = context.get("page")
    items = root.get_children().live().public().in_menu().specific() if root else []
    current_section = None
    if page is not None and root is not None and page.depth > root.depth:
        current_section = (
            page if page.depth == root.depth + 1 else page.get_ancestors().get(depth=root.depth + 1)
        )
    return {
        "root": root,
        "items": items,
        "is_home": page is not None and root is not None and page.pk == root.pk,
        "current_section_id": current_section.pk if current_section else None,
        "request": context.get("request"),
    }


@register.inclusion_tag("content/includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context: template.Context, page: Page) -> dict:
    """当前位置: 首页 > … > the page's column (an article's own title is not repeated)."""
    root = _site_root(context)
    crumbs = list(page.get_ancestors().filter(depth__gte=root.depth).specific()) if root else []
    if not isinstance(page.specific, ArticlePage):
        crumbs.append(page)
    return {"crumbs": crumbs, "page": page, "request": context.get("request")}


@register.simple_tag
def qr_svg(url: str, title: str = "二维码") -> SafeString:
    """A QR code drawn on our own server as inline SVG: no third-party service, works offline."""
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(scale=4, border=2, title=title, dark="#000", light="#fff")
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))
