"""A per-address request budget for search (Django cache), so a crawler cannot load the database."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from govsite.core import ratelimit


def rate_limit() -> int:
    """Searches allowed per address per minute (GOVSITE_SEARCH_RATE_LIMIT, 0 switches it off)."""
    return int(getattr(settings, "GOVSITE_SEARCH_RATE_LIMIT", 30))


def allow(request: HttpRequest) -> bool:
    return ratelimit.allow(request, "search", rate_limit())
