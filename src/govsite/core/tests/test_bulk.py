"""core.bulk: work deferred in a bulk build runs once at its end, and not for a rolled-back savepoint."""

from __future__ import annotations

from collections.abc import Hashable

import pytest

from govsite.core.bulk import bulk_build, defer, defer_batch, memo

pytestmark = pytest.mark.django_db


def test_a_rolled_back_nested_block_drops_the_work_it_deferred() -> None:
    done: list[str] = []
    with bulk_build():
        defer("kept", lambda: done.append("kept"))
        with pytest.raises(ValueError), bulk_build():
            defer("kept", lambda: done.append("replaced by the failed page"))
            defer("lost", lambda: done.append("lost"))
            raise ValueError("the page failed")
        with bulk_build():
            defer("next", lambda: done.append("next"))
    assert done == ["kept", "next"]


def test_batched_work_runs_once_with_every_item_of_the_committed_blocks() -> None:
    calls: list[list[Hashable]] = []
    with bulk_build():
        for item in (1, 2, 2):
            assert defer_batch("batch", item, calls.append)
        with pytest.raises(ValueError), bulk_build():
            defer_batch("batch", 3, calls.append)
            raise ValueError("rolled back")
        defer_batch("batch", 4, calls.append)
    assert calls == [[1, 2, 4]]
    assert not defer_batch("batch", 5, calls.append)  # outside a bulk build: the caller does it now


def test_memo_keeps_a_value_only_while_the_deferred_work_runs() -> None:
    computed: list[int] = []

    def compute() -> int:
        computed.append(len(computed) + 1)
        return computed[-1]

    assert (memo("rules", compute), memo("rules", compute)) == (1, 2)  # outside a build: each call
    seen: list[int] = []
    with bulk_build():
        assert memo("rules", compute) == 3  # while the build writes: each call too
        defer("a", lambda: seen.append(memo("rules", compute)))
        defer("b", lambda: seen.append(memo("rules", compute)))
    assert seen == [4, 4]  # the deferred work reads it once
    assert memo("rules", compute) == 5
