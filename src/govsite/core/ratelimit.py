"""A per-key request budget per time window (Django cache, shared by all processes).

Public dynamic addresses (search, the 依申请公开 form and lookup) use it so that a crawler or a
guesser cannot load the database or try query codes in bulk.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest

from govsite.core.middleware import client_ip


def _cache_key(key: str, window: int, slot: int) -> str:
    return f"govsite-rate:{key}:{window}:{slot}"


def _estimate(key: str, window: int, current: int, now: float) -> float:
    """Uses in the last `window` seconds: this window's count plus the previous window's, weighted by
    how much of it still lies within the last `window` seconds (a sliding window from two counters).

    Fixed windows alone would let a burst straddling a boundary make twice the limit, and would reset
    a client's count in the middle of its burst."""
    slot, elapsed = divmod(now, window)
    previous = cache.get(_cache_key(key, window, int(slot) - 1)) or 0
    return current + int(previous) * (1 - elapsed / window)


def allow_key(key: str, limit: int, window: int = 60) -> bool:
    """Count one use of `key`; False once more than `limit` uses fall within the last `window` seconds."""
    if limit <= 0:
        return True
    now = time.time()
    cache_key = _cache_key(key, window, int(now // window))
    timeout = 2 * window + 10  # the previous window's count is still read during the next one
    if cache.add(cache_key, 1, timeout=timeout):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add() and incr()
            cache.set(cache_key, 1, timeout=timeout)
            count = 1
    return _estimate(key, window, count, now) <= limit


def exhausted(key: str, limit: int, window: int = 60) -> bool:
    """Whether `key` already used up its budget in the last `window` seconds (without counting a use)."""
    if limit <= 0:
        return False
    now = time.time()
    current = cache.get(_cache_key(key, window, int(now // window))) or 0
    return _estimate(key, window, int(current), now) >= limit


def allow(request: HttpRequest, scope: str, limit: int, window: int = 60) -> bool:
    """Count one request of this client address against `scope`'s budget (limit 0 switches it off)."""
    return allow_key(f"{scope}:{client_ip(request) or 'unknown'}", limit, window)
