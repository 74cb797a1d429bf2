"""Security headers that differ between the public site and the internal admin; site lookup."""

import logging
from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.template import loader
from wagtail.models import Site

from .crypto import PIIKeyError
from .fragments import cached_value, in_run

logger = logging.getLogger(__name__)

ADMIN_PREFIXES = ("/admin/", "/django-admin/")


class GovsiteCSPMiddleware(CSPMiddleware):
    """Strict CSP everywhere; the Wagtail admin (internal host) gets its own, looser policy."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        # A view's own @csp_override still wins; otherwise the admin gets the admin policy.
        if parts.config is None and request.path_info.startswith(ADMIN_PREFIXES):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        # Wagtail renders a preview by running a dummy request for the page's public address
        # through the whole middleware stack, inside the admin's preview view: the page keeps the
        # public policy (so the preview shows what readers will get), but the admin must be able
        # to frame it in the preview panel.
        if getattr(request, "is_dummy", False):
            parts.replace = {**(parts.replace or {}), "frame-ancestors": ["'self'"]}
        return parts


def permissions_policy() -> str:
    """settings.GOVSITE_PERMISSIONS_POLICY as a header value: `camera=(), fullscreen=(self)`."""

    def origin(value: str) -> str:
        return value if value in ("self", "*") else f'"{value}"'

    return ", ".join(
        f"{feature}=({' '.join(origin(o) for o in origins)})"
        for feature, origins in settings.GOVSITE_PERMISSIONS_POLICY.items()
    )


class PermissionsPolicyMiddleware:
    """Permissions-Policy on every response (Django has no setting for it); the file servers send
    the same value (publishing.server.security_headers), so every page carries the same set."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.value = permissions_policy()

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if self.value:
            response.headers.setdefault("Permissions-Policy", self.value)
        return response


def client_ip(request: HttpRequest) -> str | None:
    """The client's address for django-axes (AXES_CLIENT_IP_CALLABLE).

    Without trusted proxies (GOVSITE_PROXY_COUNT=0, the default) it is REMOTE_ADDR: headers a client
    can forge are never believed. Behind N trusted proxies, each appends the address it received
    the request from to X-Forwarded-For, so the client is the N-th entry from the right; entries
    further left were written by the client itself and are ignored.
    """
    remote_addr = request.META.get("REMOTE_ADDR")
    count = settings.GOVSITE_PROXY_COUNT
    if count <= 0:
        return remote_addr
    forwarded = [ip.strip() for ip in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [ip for ip in forwarded if ip]
    return forwarded[-count] if len(forwarded) >= count else remote_addr


class SiteLookupMiddleware:
    """Resolve the request's Wagtail site once per host during a publishing run.

    Wagtail looks the site up once per request (`Site.find_for_request`); publishing renders
    thousands of files of one site in a row, so the lookup (and the site's root page, loaded on
    the instance) is shared through the run's cache. Outside a run this changes nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        host = request.get_host()
        # Wagtail's own per-request cache of Site.find_for_request (not an HttpRequest attribute).
        site = cached_value(("site", host), lambda: Site.find_for_request(request))
        setattr(request, "_wagtail_site", site)  # noqa: B010
        if in_run():  # and Wagtail's per-request copy of every site's root path (page URLs), likewise
            paths = cached_value(("site_root_paths",), Site.get_site_root_paths)
            setattr(request, "_wagtail_cached_site_root_paths", paths)  # noqa: B010
        return self.get_response(request)


class PIIKeyErrorMiddleware:
    """Personal data that cannot be decrypted (GOVSITE_PII_KEYS missing the key that wrote it): the
    admin gets a 503 saying so, the public the ordinary "service unavailable" page; never a traceback.
    The log names the request only (the exception carries no personal data)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponseBase | None:
        if not isinstance(exception, PIIKeyError):
            return None
        logger.error("personal data unreadable on %s: %s", request.path, exception)
        if request.path_info.startswith(ADMIN_PREFIXES) and request.user.is_authenticated:
            body = loader.render_to_string("core/pii_key_error.html", {"problem": str(exception)})
        else:
            body = loader.render_to_string("500_plain.html")
        return HttpResponse(body, status=503)


# Text types worth compressing; images, PDFs, archives and Office files are compressed already.
COMPRESSIBLE_PREFIXES = ("text/", "application/json", "application/xml", "application/javascript")
COMPRESSIBLE_SUFFIXES = ("+xml", "+json")


class TextGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware for text responses only (the search page, forms, feeds rendered on
    request), so the embedded server sends dynamic pages as small as nginx's `gzip_proxied any` does.

    BREACH: the pages that reflect input (search) or carry a CSRF token (forms) are compressed too, as
    nginx compresses them in front of the application. Django masks the CSRF token anew in every
    response and this middleware (Django ≥ 4.2) adds up to 100 random bytes to each compressed
    response ("Heal the BREACH"), so a secret cannot be recovered from response sizes."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        ctype = response.get("Content-Type", "").split(";")[0].strip().lower()
        if not ctype.startswith(COMPRESSIBLE_PREFIXES) and not ctype.endswith(COMPRESSIBLE_SUFFIXES):
            return response
        return super().process_response(request, response)
