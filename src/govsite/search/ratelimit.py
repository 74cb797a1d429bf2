"""A per-address request budget for search (Django cache), so a crawler cannot load the database."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from govsite.core.middleware import client_ip


def rate_limit() -> int:
    """Searches allowed per address per minute (GOVSITE_SEARCH_RATE_LIMIT, 0 switches it off)."""
    return int(getattr(settings, "GOVSITE_SEARCH_RATE_LIMIT", 30))


def allow(request: HttpRequest) -> bool:
    limit = rate_limit()
    if limit <= 0:
        return True
    window = int(time.time() // 60)
    key = f"govsite-search-rate:{client_ip(request) or 'unknown'}:{window}"
    if cache.add(key, 1, timeout=70):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=70)
        return True
    return count <= limit
