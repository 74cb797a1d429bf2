"""Runs, results and findings written directly (the tests of the dashboard, the report and the
reminders read stored runs and do not need the runner), and two registered test rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone
from wagtail.models import Site

from govsite.inspection.models import Finding, InspectionRun, RuleResult
from govsite.inspection.rules import RULES, Kind, Rule, RuleOutcome, Status, register

VETO_CODE, SCORED_CODE = "TV1", "TS1"


@contextmanager
def registered_test_rules() -> Iterator[None]:
    """A veto rule and a scored rule in the registry for the duration of a test."""

    def never(site: Site) -> RuleOutcome:  # the tests store runs; nothing calls a check
        raise AssertionError("not run in these tests")

    register(Rule(VETO_CODE, "测试否决项", Kind.VETO, "测试来源", "0 个", never, order=1))
    register(Rule(SCORED_CODE, "测试扣分项", Kind.SCORED, "测试来源", "0 个", never, order=2))
    try:
        yield
    finally:
        RULES.pop(VETO_CODE, None)
        RULES.pop(SCORED_CODE, None)


def stored_run(
    site: Site,
    days_ago: float = 0,
    *,
    vetoed: bool = False,
    score: int | None = 90,
    findings: dict[str, list[str]] | None = None,
    finished: bool = True,
) -> InspectionRun:
    """A run `days_ago` with one result per rule (fail when it has findings) and the given finding
    keys per rule; each finding's message names its key."""
    started = timezone.now() - dt.timedelta(days=days_ago)
    run = InspectionRun.objects.create(
        site=site,
        started_at=started,
        finished_at=started + dt.timedelta(minutes=3) if finished else None,
        trigger="nightly",
        vetoed=vetoed,
        score=score,
    )
    findings = findings if findings is not None else {VETO_CODE: [], SCORED_CODE: []}
    for code, keys in findings.items():
        kind = Kind.VETO if code == VETO_CODE else Kind.SCORED
        status = Status.FAIL if keys else Status.PASS
        RuleResult.objects.create(
            run=run, rule=code, kind=kind, status=status, measured=f"{len(keys)} 个", findings_count=len(keys)
        )
        for key in keys:
            Finding.objects.create(
                run=run,
                rule=code,
                key=key,
                message=f"问题{key}",
                evidence=f"依据{key}",
                url=f"{site.root_url}/{key}.html",
                fix=f"整改{key}",
                page=site.root_page,
            )
    return run
