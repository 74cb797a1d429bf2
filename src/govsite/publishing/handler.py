"""A shorter request stack for the article pages of a publishing run.

A published file is the body the application answers; most of the 22 middleware around the view
only add headers (security, CSP, frame options, permissions policy, compression), guard the admin
(host check, second factor, idle timeout, lockouts) or answer other addresses (health checks,
static files, Wagtail redirects of a 404). For an anonymous first-time reader of a public article
none of them changes the body, and together with the test client they cost ~12 % of rendering a
rebuilt article. An article address of a run therefore goes through the middleware below (in the
order of settings.MIDDLEWARE) and the same URLconf, view and templates; any answer but a 200 is
asked again through the full stack (`Publisher`), so redirects, 404s, 410s and errors are exactly
what a reader gets. `test_every_published_file_is_what_the_application_answers` compares every
published file with a fresh request through the full stack.
"""

import threading
from typing import Any

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.handlers.exception import convert_exception_to_response
from django.http import HttpResponseBase
from django.test import RequestFactory
from django.utils.module_loading import import_string

# The middleware that shape the body of a public page: the version prefix, the (anonymous) user
# and its session, the language, messages (empty), and the run's shared site lookup.
BODY_MIDDLEWARE = (
    "govsite.versions.middleware.VersionPrefixMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "govsite.core.middleware.SiteLookupMiddleware",
)

_local = threading.local()


class PageHandler(BaseHandler):
    """Django's request handler with only BODY_MIDDLEWARE (BaseHandler.load_middleware, sync)."""

    def load_middleware(self, is_async: bool = False) -> None:
        self._view_middleware: list[Any] = []
        self._template_response_middleware: list[Any] = []
        self._exception_middleware: list[Any] = []
        handler = convert_exception_to_response(self._get_response)  # type: ignore[attr-defined]
        for path in reversed([name for name in settings.MIDDLEWARE if name in BODY_MIDDLEWARE]):
            middleware = import_string(path)(handler)
            if hasattr(middleware, "process_view"):
                self._view_middleware.insert(0, middleware.process_view)
            if hasattr(middleware, "process_template_response"):
                self._template_response_middleware.append(middleware.process_template_response)
            if hasattr(middleware, "process_exception"):
                self._exception_middleware.append(middleware.process_exception)
            handler = convert_exception_to_response(middleware)
        self._middleware_chain = handler


def _handler() -> tuple[PageHandler, RequestFactory]:
    """One handler per thread, built once (like the publisher's test client)."""
    built: tuple[PageHandler, RequestFactory] | None = getattr(_local, "handler", None)
    if built is None:
        handler = PageHandler()
        handler.load_middleware()
        built = _local.handler = (handler, RequestFactory())
    return built


def get_page(path: str, **environ: Any) -> HttpResponseBase:
    """GET `path` as an anonymous reader without cookies, through BODY_MIDDLEWARE only."""
    handler, factory = _handler()
    return handler.get_response(factory.get(path, **environ))
