"""Reuse page chrome (directory, menus, footer) across the pages of one publishing run.

The header and footer of a site are identical on thousands of pages. While a site is published,
each piece is rendered once per site and version and reused; outside publishing (a dynamic
request) nothing is cached, so a reader never sees stale chrome.
"""

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.utils.safestring import SafeString, mark_safe

T = TypeVar("T")
_store: ContextVar[dict[Hashable, Any] | None] = ContextVar("govsite_fragments", default=None)


@contextmanager
def fragment_cache() -> Iterator[None]:
    """Cache chrome fragments for the duration of a publishing run (the outermost one wins)."""
    if _store.get() is not None:
        yield
        return
    token = _store.set({})
    try:
        yield
    finally:
        _store.reset(token)


def cached_value(key: Hashable, compute: Callable[[], T]) -> T:
    """Any value that cannot change during one publishing run (e.g. a column's article count)."""
    store = _store.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    value: T = store[key]  # stored by compute() under this key
    return value


def cached_fragment(key: Hashable, render: Callable[[], str]) -> SafeString:
    store = _store.get()
    if store is None:
        return mark_safe(render())  # noqa: S308 -- rendered (escaped) by the template engine
    if key not in store:
        store[key] = mark_safe(render())  # noqa: S308 -- as above
    fragment: SafeString = store[key]
    return fragment
