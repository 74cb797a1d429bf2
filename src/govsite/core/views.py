"""Site-wide public views that are not pages: robots.txt and the error pages."""

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, HttpResponseServerError
from django.template import loader
from wagtail.models import Site

logger = logging.getLogger(__name__)


def robots_txt(request: HttpRequest) -> HttpResponse:
    site = Site.find_for_request(request)
    root = site.root_url if site else request.build_absolute_uri("/").rstrip("/")
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /django-admin/", f"Sitemap: {root}/sitemap.xml"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 in the site's own design, with its navigation and a way on."""
    return HttpResponseNotFound(loader.render_to_string("404.html", {}, request))


def server_error(request: HttpRequest) -> HttpResponse:
    """500 in the site's design when the site can still be read; a plain page when it cannot.

    The database may be what failed, so the fallback touches nothing but the template engine.
    """
    try:
        body = loader.render_to_string("500.html", {}, request)
    except Exception:
        logger.exception("Rendering the 500 page with site chrome failed")
        body = loader.render_to_string("500_plain.html")
    return HttpResponseServerError(body)
