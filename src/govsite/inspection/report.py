"""The run as a document an office files (网站体检报告): DOCX and PDF through the platform's document
writer (core/documents.py, shared with the 年报), from the same verdict, rule results and worklist the
dashboard shows."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from govsite.core.documents import Cell, Grid, Section
from govsite.sites.models import SiteProfile

from .dashboard import ordered_findings, rule_rows
from .labels import TRIGGER_LABELS, kind_label, rule_title, site_label, verdict
from .models import InspectionRun

RULE_HEAD = ["指标", "类别", "结果", "检测值", "问题数"]
FINDING_HEAD = ["序号", "指标", "问题", "依据", "地址", "整改建议"]


@dataclass
class InspectionReport:
    title: str
    organiser: str
    sections: list[Section]


def _head(texts: list[str]) -> list[list[Cell]]:
    return [[Cell(text, header=True, scope="col") for text in texts]]


def build_report(run: InspectionRun) -> InspectionReport:
    profile = SiteProfile.for_site(run.site)
    name = site_label(run.site)
    started = timezone.localtime(run.started_at)
    judged = verdict(run)
    overview = [
        f"网站名称：{name}",
        f"网站地址：{run.site.root_url}",
        f"主办单位：{profile.organiser or '—'}",
        f"体检时间：{started:%Y-%m-%d %H:%M}（{TRIGGER_LABELS.get(run.trigger, run.trigger)}）",
        f"体检结论：{judged.text}",
    ]
    rules = Grid(
        "表1 检查指标结果",
        _head(RULE_HEAD),
        [
            [
                Cell(row.title),
                Cell(kind_label(row.kind)),
                Cell(f"{row.light.symbol} {row.light.text}"),
                Cell(row.measured or "—"),
                Cell(str(row.findings)),
            ]
            for row in rule_rows(run)
        ],
    )
    findings = ordered_findings(run)
    problems = Section("三、问题清单")
    if findings:
        problems.grids.append(
            Grid(
                "表2 问题清单",
                _head(FINDING_HEAD),
                [
                    [
                        Cell(str(n)),
                        Cell(rule_title(f.rule)),
                        Cell(f.message),
                        Cell(f.evidence or "—"),
                        Cell(f.url or "—"),
                        Cell(f.fix or "—"),
                    ]
                    for n, f in enumerate(findings, 1)
                ],
            )
        )
    else:
        problems.paragraphs.append("本次体检未发现问题。")
    return InspectionReport(
        title=f"{name}网站体检报告（{started:%Y年%m月%d日}）",
        organiser=profile.organiser,
        sections=[Section("一、基本情况", overview), Section("二、检查结果", grids=[rules]), problems],
    )


def file_name(run: InspectionRun, extension: str) -> str:
    return f"网站体检报告_{run.site.hostname}_{timezone.localtime(run.started_at):%Y%m%d%H%M}.{extension}"
