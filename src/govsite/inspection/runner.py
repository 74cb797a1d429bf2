"""Run the inspection on one site: every registered rule, one stored run with its results and findings.

The verdict follows 国办秘函〔2019〕19号 §2.1 as far as it is public: any veto rule that FAILs makes the
site 不合格 and nothing else is scored; otherwise each scored rule that FAILs deducts its points from
100 (the full 扣分 table is not public, so the points are this platform's approximation, see
docs/inspection.md), and a score below 60 is 不合格 too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from . import indicators  # noqa: F401 (registers every rule)
from .models import Finding, InspectionRun, RuleResult
from .rules import FindingData, Kind, Rule, RuleOutcome, Status, all_rules, inspection_context

logger = logging.getLogger(__name__)

FULL_SCORE = 100
PASS_SCORE = 60  # below this a site without a veto is still 不合格 (§2.1)
DEFAULT_POINTS = 5  # a scored rule that names no points of its own
RETENTION_DAYS = 400  # stored runs older than this are deleted (a year of trends and a quarter more)

KEY_LENGTH = Finding._meta.get_field("key").max_length or 255
MESSAGE_LENGTH = Finding._meta.get_field("message").max_length or 500
URL_LENGTH = Finding._meta.get_field("url").max_length or 2000
MEASURED_LENGTH = RuleResult._meta.get_field("measured").max_length or 255

#: (site, rule, rule index, rule count): called before each rule, and (done, total) inside long rules.
RuleHook = Callable[[Site, Rule, int, int], None]
StepHook = Callable[[int, int], None]


@dataclass
class Progress:
    """What the command's progress bar is told; both hooks are optional."""

    rule_started: RuleHook | None = None
    step: StepHook | None = None


@dataclass
class Verdict:
    vetoed: bool
    score: int | None  # None when vetoed: nothing else is scored (§2.1)
    deductions: list[tuple[str, int]] = field(default_factory=list)


def stable_findings(findings: list[FindingData]) -> list[FindingData]:
    """One finding per key, ordered by key: the same data gives the same findings in the same order."""
    unique: dict[str, FindingData] = {}
    for finding in findings:
        unique.setdefault(finding.key[:KEY_LENGTH], finding)
    return [unique[key] for key in sorted(unique)]


def run_rule(rule: Rule, site: Site) -> RuleOutcome:
    """A rule's outcome; a rule that breaks reports UNKNOWN (never a pass) and the run goes on."""
    try:
        outcome = rule.check(site)
    except Exception as exc:  # one broken rule must not lose the other rules' results
        logger.exception("Inspection rule %s failed on %s", rule.code, site.hostname)
        return RuleOutcome(Status.UNKNOWN, f"检查出错：{type(exc).__name__}")
    outcome.findings = stable_findings(outcome.findings)
    return outcome


def verdict(outcomes: list[tuple[Rule, RuleOutcome]]) -> Verdict:
    """§2.1: a veto FAIL fails the site; otherwise each scored FAIL deducts the rule's points."""
    vetoed = any(rule.kind == Kind.VETO and out.status == Status.FAIL for rule, out in outcomes)
    if vetoed:
        return Verdict(True, None)
    deductions = [
        (rule.code, rule.points or DEFAULT_POINTS)
        for rule, out in outcomes
        if rule.kind == Kind.SCORED and out.status == Status.FAIL
    ]
    return Verdict(False, max(0, FULL_SCORE - sum(points for _, points in deductions)), deductions)


def passed(run: InspectionRun) -> bool:
    """合格: no veto and, if scored, at least 60 points."""
    return not run.vetoed and (run.score is None or run.score >= PASS_SCORE)


def inspect_site(
    site: Site, trigger: str = "manual", now: datetime | None = None, progress: Progress | None = None
) -> InspectionRun:
    """Run every rule on `site` and store the run, its rule results and findings in one transaction."""
    started = now or timezone.now()
    progress = progress or Progress()
    rules = all_rules()
    outcomes: list[tuple[Rule, RuleOutcome]] = []
    with inspection_context(started, progress.step):
        for index, rule in enumerate(rules):
            if progress.rule_started is not None:
                progress.rule_started(site, rule, index, len(rules))
            outcomes.append((rule, run_rule(rule, site)))
    result = verdict(outcomes)
    existing_pages = _existing_pages(outcomes)
    with transaction.atomic():
        run = InspectionRun.objects.create(
            site=site,
            started_at=started,
            finished_at=started if now is not None else timezone.now(),
            trigger=trigger,
            vetoed=result.vetoed,
            score=result.score,
        )
        RuleResult.objects.bulk_create(
            RuleResult(
                run=run,
                rule=rule.code,
                kind=rule.kind.value,
                status=outcome.status.value,
                measured=outcome.measured[:MEASURED_LENGTH],
                findings_count=len(outcome.findings),
            )
            for rule, outcome in outcomes
        )
        Finding.objects.bulk_create(
            (
                Finding(
                    run=run,
                    rule=rule.code,
                    key=item.key[:KEY_LENGTH],
                    message=item.message[:MESSAGE_LENGTH],
                    evidence=item.evidence,
                    url=item.url[:URL_LENGTH],
                    page_id=item.page_id if item.page_id in existing_pages else None,
                    fix=item.fix,
                )
                for rule, outcome in outcomes
                for item in outcome.findings
            ),
            batch_size=1000,
        )
    return run


def _existing_pages(outcomes: list[tuple[Rule, RuleOutcome]]) -> set[int]:
    """The findings' pages that exist (a page deleted during the run is named by its URL only)."""
    ids = {f.page_id for _, out in outcomes for f in out.findings if f.page_id is not None}
    return set(Page.objects.filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()


def inspect_sites(sites: list[Site], trigger: str, progress: Progress | None = None) -> list[InspectionRun]:
    return [inspect_site(site, trigger, progress=progress) for site in sites]


def prune_runs(keep_days: int = RETENTION_DAYS, now: datetime | None = None) -> int:
    """Delete runs older than `keep_days` (their results and findings go with them)."""
    old = InspectionRun.objects.filter(started_at__lt=(now or timezone.now()) - timedelta(days=keep_days))
    count = old.count()
    old.delete()
    return count
