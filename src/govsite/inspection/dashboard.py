"""What the dashboard shows of a site's runs: the latest verdict, one light per rule, the worklist
with since when each problem exists, the trends; and the platform office's ranking of all sites."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils import timezone
from wagtail.models import Site

from . import charts
from .labels import Light, Verdict, light, rule_order, rule_title, verdict
from .models import Finding, InspectionRun, RuleResult
from .rules import Kind, Status
from .runner import PASS_SCORE

TREND_RUNS = 30  # runs drawn in the trend charts


def finished_runs(site: Site) -> Iterable[InspectionRun]:
    return InspectionRun.objects.filter(site=site, finished_at__isnull=False).order_by("-started_at")


def latest_run(site: Site) -> InspectionRun | None:
    return finished_runs(site).first()  # type: ignore[attr-defined, no-any-return]


def running(site: Site) -> bool:
    """A run was started after the latest finished one and has not finished (queued or working)."""
    latest = latest_run(site)
    pending = InspectionRun.objects.filter(site=site, finished_at__isnull=True)
    if latest is not None:
        pending = pending.filter(started_at__gt=latest.started_at)
    return pending.exists()


@dataclass
class RuleRow:
    code: str
    title: str
    kind: str
    veto: bool
    light: Light
    measured: str
    findings: int


def rule_rows(run: InspectionRun) -> list[RuleRow]:
    """The run's rule results, veto items first."""
    results = sorted(run.results.all(), key=lambda r: rule_order(r.rule, r.kind))
    return [
        RuleRow(
            r.rule,
            rule_title(r.rule),
            r.kind,
            r.kind == Kind.VETO,
            light(r.status),
            r.measured,
            r.findings_count,
        )
        for r in results
    ]


def ordered_findings(run: InspectionRun) -> list[Finding]:
    """The worklist: veto items' problems first, then by rule and key (stable across runs)."""
    kinds = dict(run.results.values_list("rule", "kind"))
    findings = run.findings.select_related("page")
    return sorted(findings, key=lambda f: (rule_order(f.rule, kinds.get(f.rule, "")), f.key))


def first_seen(run: InspectionRun, keys: list[str]) -> dict[str, dt.datetime]:
    """Since when each problem exists: the start of the oldest run of the unbroken series of the
    site's finished runs, up to `run`, that all found it (by its `key`)."""
    earlier = InspectionRun.objects.filter(
        site_id=run.site_id, finished_at__isnull=False, started_at__lte=run.started_at
    )
    runs = list(earlier.order_by("-started_at").values_list("pk", "started_at"))
    found: dict[str, set[int]] = defaultdict(set)
    rows = Finding.objects.filter(run__in=earlier, key__in=keys).values_list("key", "run_id")
    for key, run_id in rows:
        found[key].add(run_id)
    since = {}
    for key in keys:
        first = run.started_at
        for pk, started in runs:
            if pk not in found[key]:
                break
            first = started
        since[key] = first
    return since


@dataclass
class Trends:
    rows: list[tuple[str, Verdict, int | None, int]]  # date, verdict, score, findings: the table
    score_chart: str
    findings_chart: str


def trends(site: Site) -> Trends:
    runs = list(finished_runs(site)[:TREND_RUNS])[::-1]  # type: ignore[index]
    totals = dict(
        RuleResult.objects.filter(run__in=[r.pk for r in runs])
        .values("run")
        .annotate(total=Sum("findings_count"))
        .values_list("run", "total")
    )
    rows, scores, counts = [], [], []
    for run in runs:
        day = timezone.localtime(run.started_at).strftime("%m-%d")
        judged, total = verdict(run), totals.get(run.pk) or 0
        rows.append((timezone.localtime(run.started_at).strftime("%Y-%m-%d %H:%M"), judged, run.score, total))
        scores.append(charts.Point(day, run.score, run.vetoed, judged.text))
        counts.append(charts.Point(day, total, run.vetoed, f"{total} 个问题"))
    top = max((p.value or 0 for p in counts), default=0)
    return Trends(
        rows[::-1],
        charts.line_chart(
            "inspection-score-chart", "得分趋势（红色方块为单项否决）", scores, 100, PASS_SCORE
        ),
        charts.line_chart("inspection-findings-chart", "问题数趋势", counts, top),
    )


@dataclass
class Ranked:
    site: Site
    run: InspectionRun | None
    verdict: Verdict | None
    counts: dict[str, tuple[Light, int]] = field(default_factory=dict)  # rule → light, findings


def ranking(sites: Iterable[Site]) -> tuple[list[Ranked], list[str]]:
    """Every site by its latest finished run: vetoed first (the worst news on top), then by score,
    lowest first; sites never inspected last. With the rule codes that appear, veto items first."""
    rows = []
    for site in sites:
        run = latest_run(site)
        rows.append(Ranked(site, run, verdict(run) if run else None))
    by_run = {row.run.pk: row for row in rows if row.run}
    codes: dict[str, str] = {}
    for result in RuleResult.objects.filter(run__in=list(by_run)):
        by_run[result.run_id].counts[result.rule] = (light(result.status), result.findings_count)
        codes[result.rule] = result.kind
    rows.sort(key=_rank_key)
    return rows, sorted(codes, key=lambda code: rule_order(code, codes[code]))


def _rank_key(row: Ranked) -> tuple[int, int, str]:
    if row.run is None:
        return (2, 0, row.site.hostname)
    if row.run.vetoed:
        return (0, row.run.score or 0, row.site.hostname)
    return (1, row.run.score if row.run.score is not None else -1, row.site.hostname)


def failing_vetoes(run: InspectionRun) -> int:
    return run.results.filter(kind=Kind.VETO, status=Status.FAIL).count()


def rule_titles(codes: list[str]) -> dict[str, str]:
    return {code: rule_title(code) for code in codes}
