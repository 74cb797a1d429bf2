"""Public views generated from a site's column tree."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from wagtail.models import Page, Site

from .models import ArticlePage


def html_sitemap(request: HttpRequest) -> HttpResponse:
    """网站地图: every column, sub-column and information page of this site, as nested lists."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    root = site.root_page.specific
    context = {"page": root, "tree": column_tree(root), "is_sitemap": True}
    return render(request, "content/sitemap.html", context)


def column_tree(root: Page) -> list[dict]:
    """Columns and information pages below `root` (not articles), nested, in tree order."""
    rows = root.get_descendants().live().public().not_type(ArticlePage).order_by("path").specific()
    nodes: dict[str, dict] = {}
    top: list[dict] = []
    for page in rows:
        node = {"page": page, "children": []}
        nodes[page.path] = node
        parent = nodes.get(page.path[: -Page.steplen])
        (parent["children"] if parent else top).append(node)
    return top
