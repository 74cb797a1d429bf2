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


BULK = "__bulk_run__"


@contextmanager
def fragment_cache(bulk: bool = False) -> Iterator[None]:
    """Cache chrome fragments for the duration of a publishing run (the outermost one wins).

    `bulk`: a run that renders many pages of a site (a chunk of a full rebuild), in which reading a
    whole column once (`in_bulk_run`) is cheaper than one index walk per page."""
    if _store.get() is not None:
        yield
        return
    token = _store.set({BULK: True} if bulk else {})
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


def prime(values: dict[Hashable, Any]) -> None:
    """Store values read in bulk (e.g. for a chunk of articles) for `cached_value` to find; outside
    a run nothing is stored."""
    store = _store.get()
    if store is not None:
        store.update(values)


def in_run() -> bool:
    """Whether a publishing run is active: run-only shortcuts (reading a whole column's order once
    instead of walking an index per page) would cost a dynamic request more than they save."""
    return _store.get() is not None


def in_bulk_run() -> bool:
    """Whether the run renders many pages of a site (see `fragment_cache`)."""
    store = _store.get()
    return store is not None and BULK in store


def cached_batch(key: Hashable, compute: Callable[[], dict[Hashable, Any]]) -> Any:
    """The value under `key`, computing it together with its likely neighbours (`compute` returns
    a dict that includes `key`): one query for a batch of articles instead of one per page."""
    store = _store.get()
    if store is None:
        return compute().get(key)
    if key not in store:
        store.update(compute())
    return store.get(key)


def cached_fragment(key: Hashable, render: Callable[[], str]) -> SafeString:
    store = _store.get()
    if store is None:
        return mark_safe(render())  # noqa: S308 -- rendered (escaped) by the template engine
    if key not in store:
        store[key] = mark_safe(render())  # noqa: S308 -- as above
    fragment: SafeString = store[key]
    return fragment
