"""Template tags for page chrome: column navigation, breadcrumbs, sharing."""

import functools
import re
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import segno
from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import conditional_escape as escape
from django.utils.safestring import SafeString, mark_safe
from wagtail import hooks
from wagtail.models import Page, Site

from govsite.content import attachments, recycle
from govsite.content.models import ArticlePage, DocumentValidity
from govsite.content.prefetch import page_validity_of
from govsite.content.visibility import listed
from govsite.core.fragments import cached_fragment, cached_value
from govsite.versions.registry import STANDARD

register = template.Library()
QR_MASK = 2  # a fixed QR mask pattern (see qr_svg)


def _site_root(context: template.Context) -> Page | None:
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return site.root_page if site else None


@register.simple_tag(takes_context=True)
def site_nav(context: template.Context) -> SafeString:
    """The main column navigation: 网站首页 and the site's top-level columns shown in menus."""
    root = _site_root(context)
    page = context.get("page")
    request = context.get("request")
    section_path = ""
    if page is not None and root is not None and page.depth > root.depth:
        section_path = page.path[: Page.steplen * (root.depth + 1)]
    is_home = page is not None and root is not None and page.pk == root.pk
    version = getattr(request, "govsite_version", STANDARD)

    def menu() -> list[Page]:  # the same for every page and version of the site: read once per run
        return list(listed(root.get_children()).in_menu().specific()) if root else []

    def render() -> str:
        items = cached_value(("site_nav_items", getattr(root, "pk", None)), menu)
        nav = {"root": root, "items": items, "is_home": is_home, "section_path": section_path}
        return render_to_string("content/includes/site_nav.html", nav, request)

    key = ("site_nav", getattr(root, "pk", None), version.key, section_path, is_home)
    return cached_fragment(key, render)


@register.simple_tag(takes_context=True)
def breadcrumbs(context: template.Context, page: Page) -> SafeString:
    """当前位置: 首页 > … > the page's column (an article's own title is not repeated).

    An article's trail names only its column's ancestors: in a publishing run it is rendered once
    per column and version and pasted into each article of the column."""
    root = _site_root(context)
    request = context.get("request")
    is_article = isinstance(page.specific, ArticlePage)

    def render() -> str:
        if root is None:
            crumbs: list[Page] = []
        else:  # the same for every article of a column: read once per publishing run
            ancestors = page.get_ancestors().filter(depth__gte=root.depth).specific()
            key = ("crumbs", page.path[: -page.steplen], root.depth)
            crumbs = list(cached_value(key, lambda: list(ancestors)))
        if not is_article:
            crumbs.append(page)
        engine = context.template.engine if context.template else template.Engine.get_default()
        trail = engine.get_template("content/includes/breadcrumbs.html")
        return trail.render(context.new({"crumbs": crumbs, "page": page, "request": request}))

    if not is_article:
        return mark_safe(render())  # noqa: S308 -- rendered (escaped) by the template engine
    version = getattr(request, "govsite_version", STANDARD)
    key = ("breadcrumbs_html", getattr(root, "pk", None), page.path[: -page.steplen], version.key)
    return cached_fragment(key, render)


@register.simple_tag
def gov_meta_tags(page: Any) -> SafeString:
    """The page's <meta> tags of 《政府网站网页设计规范》 (`gov_meta()`), one a line, escaped as the
    template engine escapes: a template loop over ~9 pairs cost ~5 % of rendering an article."""
    gov_meta = getattr(page, "gov_meta", None)
    if not callable(gov_meta):
        return mark_safe("")
    tags = (f'<meta name="{escape(name)}" content="{escape(content)}">\n' for name, content in gov_meta())
    return mark_safe("".join(tags))  # noqa: S308 -- every value escaped


@register.simple_tag
def qr_svg(url: str, title: str = "二维码") -> SafeString:
    """A QR code drawn on our own server as inline SVG: no third-party service, works offline.

    The mask pattern is fixed (QR_MASK): choosing the "best" of eight by segno's penalty scores cost
    ~70 % of the encoding (~8 ms of each article page); any mask is valid and read by every scanner."""
    qr = segno.make(url, error="m", mask=QR_MASK)
    # The same markup as segno's svg_inline(scale=4, border=2, dark="#000", light="#fff"), written
    # from the module rows with a regular expression (segno walks every module in Python: ~1 ms).
    # The title is escaped; the URL is drawn as modules, never text.
    return mark_safe(_svg_markup(qr.matrix, scale=4, border=2, title=title))  # noqa: S308


_DARK_RUN = re.compile(b"\x01+")


def _svg_markup(matrix: Any, scale: int, border: int, title: str) -> str:
    """segno's inline SVG of a QR matrix (rows of 0/1 bytes): one horizontal stroke per run of dark
    modules, each move relative to the end of the previous stroke."""
    size = len(matrix) + 2 * border
    strokes = []
    last_x, last_y = 0, 0.0
    y = border + 0.5
    for row in matrix:
        for run in _DARK_RUN.finditer(row):
            x1, x2 = border + run.start(), border + run.end()
            dy = y - last_y
            strokes.append(f"{x1 - last_x} {int(dy) if dy == int(dy) else dy}h{x2 - x1}")
            last_x, last_y = x2, y
        y += 1
    path = "M" + "m".join(strokes)
    return (
        f'<svg role="img" width="{size * scale}" height="{size * scale}" class="segno">'
        f'<title>{xml_escape(title)}</title><g transform="scale({scale})">'
        f'<path fill="#fff" d="M0 0h{size}v{size}h-{size}z"/>'
        f'<path class="qrline" stroke="#000" d="{path}"/></g></svg>'
    )


@register.simple_tag(name="page_qr_svg")
@functools.lru_cache(maxsize=1024)  # ~5 KB each
def page_qr_svg(url: str, title: str = "二维码") -> SafeString:
    """`qr_svg` of a public page's address, kept per process: an article's page is rendered again
    whenever a neighbour is published (上一篇/下一篇), and its address rarely changes. Only for
    public addresses: a QR of a secret (a TOTP key) must not outlive its request."""
    return qr_svg(url, title)


def _hooked_html(hook_name: str, context: template.Context, page: Any) -> SafeString:
    """Join the safe HTML (or "") that each function registered for `hook_name` returns for the page."""
    parts = [fn(context, page) for fn in hooks.get_hooks(hook_name)]
    return mark_safe("".join(str(part) for part in parts if part))  # noqa: S308 (each part is safe HTML)


@register.simple_tag(takes_context=True)
def article_header(context: template.Context, page: Any) -> SafeString:
    """HTML that higher apps put at the top of an article page (e.g. the 公开目录 metadata table):
    each function registered for the `govsite_article_header` hook gets the context and the page
    and returns safe HTML or an empty string."""
    return _hooked_html("govsite_article_header", context, page)


@register.simple_tag(takes_context=True)
def article_footer(context: template.Context, page: Any) -> SafeString:
    """HTML that higher apps put after an article's body and attachments (e.g. a policy's 政策解读),
    from the `govsite_article_footer` hook, called like `govsite_article_header`."""
    return _hooked_html("govsite_article_footer", context, page)


@register.simple_tag
def page_validity(page: Any) -> DocumentValidity | None:
    """The 文件效力 record of a page, or None (the page is then simply valid)."""
    if page is None or not getattr(page, "pk", None):
        return None
    return page_validity_of(page.pk)


@register.filter
def pub_datetime(value: datetime | None) -> str:
    """发布日期 to the minute, or the date alone when no time was given (stored as 00:00)."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{local:%Y-%m-%d}" if (local.hour, local.minute) == (0, 0) else f"{local:%Y-%m-%d %H:%M}"


@register.filter
def download_name(document: Any) -> str:
    """The name an attachment is saved under (see content.attachments.download_name)."""
    return attachments.download_name(document)


@register.simple_tag
def recycle_keep_days() -> str:
    """How long a deleted page stays restorable (recycle.KEEP_DAYS), for the delete confirmations."""
    return str(recycle.KEEP_DAYS)
