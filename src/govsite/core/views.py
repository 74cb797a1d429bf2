"""Site-wide public views that are not pages: robots.txt and the error pages."""

import logging

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotFound, HttpResponseServerError
from django.http.response import HttpResponseBase
from django.template import loader
from django.views.static import serve
from wagtail.models import Site

logger = logging.getLogger(__name__)


def robots_txt(request: HttpRequest) -> HttpResponse:
    site = Site.find_for_request(request)
    root = site.root_url if site else request.build_absolute_uri("/").rstrip("/")
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /django-admin/", f"Sitemap: {root}/sitemap.xml"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# Set in the WSGI environ of the publisher's own in-process requests: not an HTTP header, so no reader
# can send it (an HTTP header becomes HTTP_…).
PUBLISHER_ENVIRON_KEY = "govsite.publisher"


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 in the site's own design, with its navigation and a way on."""
    return HttpResponseNotFound(loader.render_to_string("404.html", {}, request))


def not_found_page(request: HttpRequest) -> HttpResponse:
    """/404.html: the 404 page itself, which the publisher writes for the file servers.

    For the publisher it is an answer like any page (200), so Django does not log a missing
    address ("Not Found: /404.html") each time a site is published; for anyone else the address
    is missing like any other.
    """
    if request.META.get(PUBLISHER_ENVIRON_KEY):
        return HttpResponse(loader.render_to_string("404.html", {}, request))
    return page_not_found(request)


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


def media_file(request: HttpRequest, path: str, document_root: str) -> HttpResponseBase:
    """Django's file view for /media/ (when the application serves uploads itself). A name the file
    system refuses (too long, a NUL byte) is a missing file, a 404, never a 500 (等保 E9)."""
    try:
        response: HttpResponseBase = serve(request, path, document_root=document_root)
    except (OSError, ValueError):
        raise Http404("文件不存在。") from None
    return response
