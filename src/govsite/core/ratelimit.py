"""A per-key request budget per time window (Django cache, shared by all processes).

Public dynamic addresses (search, the 依申请公开 form and lookup) use it so that a crawler or a
guesser cannot load the database or try query codes in bulk.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest

from govsite.core.middleware import client_ip


def _cache_key(key: str, window: int) -> str:
    return f"govsite-rate:{key}:{window}:{int(time.time() // window)}"


def allow_key(key: str, limit: int, window: int = 60) -> bool:
    """Count one use of `key` in the current window; False once more than `limit` were counted."""
    if limit <= 0:
        return True
    cache_key = _cache_key(key, window)
    if cache.add(cache_key, 1, timeout=window + 10):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.set(cache_key, 1, timeout=window + 10)
        return True
    return count <= limit


def exhausted(key: str, limit: int, window: int = 60) -> bool:
    """Whether `key` already used up its budget in the current window (without counting a use)."""
    if limit <= 0:
        return False
    count = cache.get(_cache_key(key, window))
    return count is not None and int(count) >= limit


def allow(request: HttpRequest, scope: str, limit: int, window: int = 60) -> bool:
    """Count one request of this client address against `scope`'s budget (limit 0 switches it off)."""
    return allow_key(f"{scope}:{client_ip(request) or 'unknown'}", limit, window)
