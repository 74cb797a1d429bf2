"""Bulk builds (the demo platform, a new department's tree): the work each save triggers, done once.

A page built in bulk is saved, revised and published in a row, and each save updates Wagtail's
reference index and the stored pre-publication checks (a page is checked as a revision, then again
once published). Inside `bulk_build()` a receiver hands its work to `defer()` under a key naming the
object: the work runs once per key when the build ends (the last version handed over), so what is
stored is what the last of those saves would have stored.
"""

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from typing import Any, TypeVar, cast

from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_save
from modelcluster.fields import ParentalKey
from wagtail.models import ReferenceIndex

_pending: ContextVar[dict[Hashable, Callable[[], object]] | None] = ContextVar("govsite_bulk", default=None)
# Values read by the deferred work of one bulk build, while it runs (`memo`).
_memo: ContextVar[dict[Hashable, Any] | None] = ContextVar("govsite_bulk_memo", default=None)
T = TypeVar("T")


def in_bulk_build() -> bool:
    return _pending.get() is not None


def defer(key: Hashable, work: Callable[[], object]) -> bool:
    """Keep `work` for the end of the bulk build, in place of what `key` had (and in its turn: the work
    runs in the order of the last hand-overs, as it would have been done); False outside one: the
    caller does it now."""
    pending = _pending.get()
    if pending is None:
        return False
    pending.pop(key, None)
    pending[key] = work
    return True


class Batch:
    """Deferred work over many items at once (`defer_batch`): one call at the end for all of them."""

    def __init__(self, work: Callable[[list[Hashable]], object]) -> None:
        self.work = work
        self.items: dict[Hashable, None] = {}

    def __call__(self) -> object:
        return self.work(list(self.items))


def defer_batch(key: Hashable, item: Hashable, work: Callable[[list[Hashable]], object]) -> bool:
    """Like `defer`, for work done best in one go (one query for all the items): `work(items)` runs
    once at the end with every item handed over under `key`; False outside a bulk build."""
    pending = _pending.get()
    if pending is None:
        return False
    batch = pending.pop(key, None)
    # a copy: a savepoint's snapshot (bulk_build) keeps the batch as it was before
    batch = copy_batch(batch) if isinstance(batch, Batch) else Batch(work)
    batch.items[item] = None
    pending[key] = batch
    return True


def copy_batch(batch: Batch) -> Batch:
    fresh = Batch(batch.work)
    fresh.items = dict(batch.items)
    return fresh


@contextmanager
def bulk_build() -> Iterator[None]:
    """Defer per-save work to the end of the block, in one transaction; a nested block is a savepoint
    whose work waits for the outer block's end (and is dropped if the savepoint is rolled back)."""
    if (outer := _pending.get()) is not None:
        kept = dict(outer)  # a rolled-back savepoint's work is dropped: what it saved is gone
        try:
            with transaction.atomic():
                yield
        except BaseException:
            outer.clear()
            outer.update(kept)
            raise
        return
    from wagtail.signal_handlers import disable_reference_index_auto_update  # loads models: not at import

    route_search_updates()
    pending: dict[Hashable, Callable[[], object]] = {}
    token = _pending.set(pending)
    try:
        with transaction.atomic():
            with disable_reference_index_auto_update():
                yield
            memo_token = _memo.set({})
            try:
                while pending:  # deferred work may defer more (a re-check saves its findings)
                    work = pending.pop(next(iter(pending)))
                    work()
            finally:
                _memo.reset(memo_token)
    finally:
        _pending.reset(token)


def memo(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, once per key while a bulk build's deferred work runs (each page's checks read the
    same site list and word rules: the build has written everything by then, so they stay the
    same until its end); anywhere else computed on each call."""
    values = _memo.get()
    if values is None:
        return compute()
    if key not in values:
        values[key] = compute()
    return cast(T, values[key])


def defer_reference_index(instance: Model) -> None:
    """Wagtail's receiver is off in a bulk build: the object (an inline child's parent, as Wagtail's
    task records it) is indexed once at the end, in one task per model for all of them."""
    while parental_key := next((f for f in instance._meta.get_fields() if isinstance(f, ParentalKey)), None):
        parent = getattr(instance, parental_key.name)
        if parent is None:
            return
        instance = parent
    model = instance._meta.model
    if ReferenceIndex.is_indexed(model):
        label, name = model._meta.app_label, str(model._meta.model_name)
        defer_batch(("references", label, name), str(instance.pk), partial(enqueue_references, label, name))


def enqueue_references(label: str, name: str, pks: list[Hashable]) -> None:
    """One task for the build's objects of one model (`tasks.update_references_task`)."""
    from .tasks import update_references_task

    update_references_task.enqueue(label, name, [str(pk) for pk in pks])


_search_routed = False


def route_search_updates() -> None:
    """modelsearch's receiver enqueues one index task per save (a page built in bulk is saved two or
    three times): in its place, once, a receiver that does the same outside a bulk build and, inside
    one, indexes each object once at the end, one task per model for all of them (`index_after_save`).
    Done on the first bulk build: modelsearch connects its receivers after this app is ready."""
    global _search_routed
    if _search_routed:
        return
    from modelsearch import index
    from modelsearch.signal_handlers import post_save_signal_handler

    for model in index.get_indexed_models():
        if post_save.disconnect(post_save_signal_handler, sender=model):
            post_save.connect(index_after_save, sender=model)
    _search_routed = True


def index_after_save(sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any) -> None:
    from modelsearch.signal_handlers import post_save_signal_handler

    if raw:
        return
    if not in_bulk_build():
        post_save_signal_handler(instance, raw=raw, **kwargs)
        return
    label, name = instance._meta.app_label, instance._meta.model_name
    defer_batch(("search", label, name), str(instance.pk), partial(enqueue_index, label, str(name)))


def enqueue_index(label: str, name: str, pks: list[Hashable]) -> None:
    from .tasks import index_objects_task

    index_objects_task.enqueue(label, name, [str(pk) for pk in pks])
