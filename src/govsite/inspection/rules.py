"""The inspection's rules: each one a check of one site against an item of 国办秘函〔2019〕19号 or the
page design norms (docs/inspection.md), registered here so the command, the scheduler, the dashboard and
the report all run and describe the same list.

A rule's check reads the site from the inside (pages, columns, messages, published files) and returns a
`RuleOutcome`: its status, what was measured against the threshold, and one `FindingData` per problem
with the evidence an editor needs to fix it. A check that has nothing to read (no probe has run yet, the
app that holds the records is absent) answers `UNKNOWN`, never `PASS`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.utils import timezone
from wagtail.models import Site


class Kind(StrEnum):
    """How a rule counts in the inspection's verdict (国办秘函〔2019〕19号 §2.1)."""

    VETO = "veto"  # 单项否决: one failure fails the site
    SCORED = "scored"  # 扣分指标
    ADVICE = "advice"  # page norms and good practice: reported, not scored


class Status(StrEnum):
    PASS = "pass"  # noqa: S105 (a verdict, not a password)
    WARN = "warn"  # below the threshold but approaching it (e.g. 4 stale columns, veto at 5)
    FAIL = "fail"
    UNKNOWN = "unknown"  # nothing to read yet: never reported as a pass


@dataclass(frozen=True)
class FindingData:
    """One problem, with what an editor needs to fix it.

    `key` identifies the problem across runs (rule + page or URL), so two runs on unchanged data give
    the same findings and the dashboard can say since when a problem exists.
    """

    key: str
    message: str  # what is wrong, in Chinese: "栏目“工作动态”超过 14 天未更新"
    evidence: str = ""  # what was seen: "最后更新 2021-05-23（已 1653 天）"
    url: str = ""  # the public address concerned
    page_id: int | None = None  # the page to open in the admin, when there is one
    fix: str = ""  # how to fix it, in Chinese


@dataclass
class RuleOutcome:
    status: Status
    measured: str = ""  # the count against the threshold: "5 个栏目超期（否决线 5 个）"
    findings: list[FindingData] = field(default_factory=list)


@dataclass(frozen=True)
class Rule:
    code: str  # "V3", "V4.1", "L1" …
    title: str  # "首页不更新"
    kind: Kind
    source: str  # "国办秘函〔2019〕19号 单项否决第 3 项"
    threshold: str  # "首页 2 周内无新信息"
    check: Callable[[Site], RuleOutcome]
    order: int = 100  # veto rules first, then by code
    points: int = 0  # a scored rule's share of the 100 points (0: the runner's default share)


RULES: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    """Add a rule to the inspection (call at import time of the module defining it)."""
    if rule.code in RULES:
        raise ValueError(f"inspection rule {rule.code} registered twice")
    RULES[rule.code] = rule
    return rule


KIND_ORDER = (Kind.VETO, Kind.SCORED, Kind.ADVICE)


def all_rules() -> list[Rule]:
    """Veto rules first, then scored rules, then advice; within a kind by order and code."""
    return sorted(RULES.values(), key=lambda rule: (KIND_ORDER.index(rule.kind), rule.order, rule.code))


# The inspection's clock and progress, set by the runner for the checks it calls (a check's
# signature stays `check(site)`): every rule of one run measures against the same instant, and
# tests shift that instant instead of patching the system clock.
_CLOCK: ContextVar[datetime | None] = ContextVar("inspection_clock", default=None)
ProgressHook = Callable[[int, int], None]  # (done, total) within the current rule
_PROGRESS: ContextVar[ProgressHook | None] = ContextVar("inspection_progress", default=None)
_MEMO: ContextVar[dict[Hashable, Any] | None] = ContextVar("inspection_memo", default=None)


def checked_at() -> datetime:
    """The instant the current inspection measures against (now, outside a run)."""
    return _CLOCK.get() or timezone.now()


def report_progress(done: int, total: int) -> None:
    """Tell the runner's progress hook how far a long check is (e.g. pages read of all)."""
    hook = _PROGRESS.get()
    if hook is not None:
        hook(done, total)


def run_memo() -> dict[Hashable, Any]:
    """A store that lives as long as the current inspection run: what several rules read (e.g. one
    scan of every page) is computed once per run, never carried into the next (empty outside a run)."""
    memo = _MEMO.get()
    return memo if memo is not None else {}


@contextmanager
def inspection_context(now: datetime, progress: ProgressHook | None = None) -> Iterator[None]:
    """Run the checks inside with this clock, progress hook and a fresh `run_memo` (the runner does;
    tests call single checks inside one)."""
    tokens = _CLOCK.set(now), _PROGRESS.set(progress), _MEMO.set({})
    try:
        yield
    finally:
        _CLOCK.reset(tokens[0])
        _PROGRESS.reset(tokens[1])
        _MEMO.reset(tokens[2])
