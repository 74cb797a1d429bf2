"""The request budget counts the last `window` seconds, not the current clock minute: a burst that
straddles a minute boundary is limited like any other, and a count never resets mid-burst."""

import pytest
from django.core.cache import cache

from govsite.core import ratelimit


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    now = [1_000_040.0]  # 20 s into a minute (1,000,020 s is a minute boundary)
    monkeypatch.setattr("govsite.core.ratelimit.time.time", lambda: now[0])
    cache.clear()
    return now


def test_a_burst_across_a_window_boundary_is_limited(clock):
    clock[0] += 39  # 59 s into the minute
    assert all(ratelimit.allow_key("burst", 3) for _ in range(3))
    clock[0] += 2  # 1 s into the next minute: the three uses of 2 s ago still count
    assert not ratelimit.allow_key("burst", 3)
    assert ratelimit.exhausted("burst", 3)


def test_the_budget_comes_back_as_old_uses_leave_the_window(clock):
    assert all(ratelimit.allow_key("steady", 3) for _ in range(3))
    assert not ratelimit.allow_key("steady", 3)
    clock[0] += 60 + 40 - 20 + 1  # 41 s into the next minute: most of the old uses have left the window
    assert not ratelimit.exhausted("steady", 3)
    assert ratelimit.allow_key("steady", 3)
    clock[0] += 120  # two windows later nothing is left
    assert all(ratelimit.allow_key("steady", 3) for _ in range(3))


def test_a_limit_of_zero_switches_it_off(clock):
    assert all(ratelimit.allow_key("off", 0) for _ in range(100))
    assert not ratelimit.exhausted("off", 0)
