"""Health endpoints for load balancers: /healthz (liveness) and /readyz (readiness).

A middleware placed first in MIDDLEWARE rather than views: a probe sends whatever Host it likes (often
the node's address), so the answer must come before anything validates the host (ALLOWED_HOSTS), redirects
to HTTPS, restricts the admin by host, opens a session, writes the audit trail or rate-limits. Both are
cheap, never cached, and a 503 is not logged as a server error (the balancer reports it).

- /healthz: the process answers. No database, no cache: a database outage must not make a balancer
  restart every application process.
- /readyz: this node can serve dynamic requests: the database answers, the cache stores and returns a
  value, the media directory is writable (a shared NFS mount that went away fails here) and the
  published directory is readable. 503 with the failed checks, by name and exception class only.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, HttpResponse

LIVENESS_PATH = "/healthz"
READINESS_PATH = "/readyz"
HEALTH_PATHS = (LIVENESS_PATH, READINESS_PATH)


def _database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    key, value = f"govsite-readyz:{os.getpid()}", str(time.time())
    cache.set(key, value, timeout=30)
    if cache.get(key) != value:
        raise RuntimeError("value not returned")


def _media() -> None:
    with tempfile.NamedTemporaryFile(dir=settings.MEDIA_ROOT, prefix=".readyz-"):
        pass


def _published() -> None:
    root = Path(settings.GOVSITE_PUBLIC_DIR)
    if not root.is_dir() or not os.access(root, os.R_OK | os.X_OK):
        raise FileNotFoundError("published directory not readable")
    next(os.scandir(root), None)


CHECKS: dict[str, Callable[[], None]] = {
    "database": _database,
    "cache": _cache,
    "media": _media,
    "published": _published,
}


def readiness() -> dict[str, str]:
    """The failed checks: name → exception class (never the message: it may name hosts or paths)."""
    failed: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # any failure means "not ready", whatever raised it
            failed[name] = type(exc).__name__
    return failed


def _answer(status: int, payload: dict[str, object]) -> HttpResponse:
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False) + "\n", status=status, content_type="application/json"
    )
    response["Cache-Control"] = "no-store"
    response._has_been_logged = True  # type: ignore[attr-defined]  # Django's log_response: no error line
    return response


class HealthCheckMiddleware:
    """Answers the two health paths before any other middleware runs; every other request passes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path not in HEALTH_PATHS:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = _answer(405, {"status": "method not allowed"})
            response["Allow"] = "GET, HEAD"
            return response
        if path == LIVENESS_PATH:
            return _answer(200, {"status": "ok"})
        failed = readiness()
        if failed:
            return _answer(503, {"status": "not ready", "failed": failed})
        return _answer(200, {"status": "ready"})
