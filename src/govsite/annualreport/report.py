"""The report as data: its six sections and its tables as grids of cells, with the exact labels of
国办公开办函〔2021〕30号 (§5.3). The page's HTML, the DOCX and the PDF all draw these same grids."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from wagtail.models import Site

from govsite.core.documents import Cell, Grid, Section
from govsite.disclosure.outcomes import ORGANISATION_GROUP, OUTCOME_GROUPS, ApplicantType
from govsite.sites.models import SiteProfile

from .counting import CatalogueRow, TableThree, catalogue_counts, count_cases, site_case_records

if TYPE_CHECKING:
    from .models import AnnualReportPage

SECTION_TITLES = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]
CONTENT = "信息内容"
DECISIONS = "本年处理决定数量"
TABLE_THREE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
ROW_NEW, ROW_CARRIED_OVER = "一、本年新收申请数量", "二、上年结转申请数量"
ROW_RESULTS, ROW_RESULTS_TOTAL = "三、本年度办理结果", "（七）总计"
ROW_CARRIED_FORWARD = "四、结转下年度继续办理"
TOTAL = "总计"
RESULTS = [("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结")]
APPEAL_GROUPS = [("review", "行政复议"), ("direct", "未经复议直接起诉"), ("after_review", "复议后起诉")]


@dataclass
class AnnualReport:
    title: str
    organiser: str
    year: int
    sections: list[Section]
    table_three: TableThree
    frozen_at: dt.datetime | None
    imbalance: list[str]

    @property
    def computed_grids(self) -> list[Grid]:
        """The tables the platform fills in: table two's 第（一）项 and table three."""
        return [self.sections[1].grids[0], self.sections[2].grids[0]]


def _number(value: int | Decimal) -> Cell:
    if isinstance(value, Decimal):
        text = f"{value:.4f}".rstrip("0").rstrip(".")
        return Cell(text or "0")
    return Cell(str(value))


def _header(text: str, scope: str = "col", rowspan: int = 1, colspan: int = 1) -> Cell:
    return Cell(text, header=True, scope=scope, rowspan=rowspan, colspan=colspan)


def table_two(rows: list[CatalogueRow], page: AnnualReportPage) -> list[Grid]:
    """主动公开政府信息情况: 第二十条第（一）项 from the catalogue, the other items typed in."""
    grids = [
        Grid(
            "第二十条第（一）项",
            [[_header(CONTENT), _header("本年制发件数"), _header("本年废止件数"), _header("现行有效件数")]],
            [
                [_header(row.label, "row"), _number(row.issued), _number(row.repealed), _number(row.in_force)]
                for row in rows
            ],
        )
    ]
    for item, typed in (
        ("第二十条第（五）项", [("行政许可", page.licensing)]),
        ("第二十条第（六）项", [("行政处罚", page.penalties), ("行政强制", page.enforcement)]),
    ):
        grids.append(
            Grid(
                item,
                [[_header(CONTENT), _header(DECISIONS)]],
                [[_header(label, "row"), _number(value)] for label, value in typed],
            )
        )
    grids.append(
        Grid(
            "第二十条第（八）项",
            [[_header(CONTENT), _header("本年收费金额（万元）")]],
            [[_header("行政事业性收费", "row"), _number(page.fees)]],
        )
    )
    return grids


def _values(counts: dict[str, int]) -> list[Cell]:
    return [_number(n) for n in TableThree.with_total(counts)]


def table_three_grid(table: TableThree) -> Grid:
    """收到和处理政府信息公开申请情况, laid out as the 30号 format lays it out."""
    organisations = [
        _header(label) for value, label in ApplicantType.choices if value != ApplicantType.NATURAL
    ]
    head = [
        [Cell(TABLE_THREE_NOTE, rowspan=3, colspan=3), _header("申请人情况", "colgroup", colspan=7)],
        [
            _header(ApplicantType.NATURAL.label, rowspan=2),
            _header(ORGANISATION_GROUP, "colgroup", colspan=5),
            _header(TOTAL, rowspan=2),
        ],
        organisations,
    ]
    results: list[list[Cell]] = []
    for group, members in OUTCOME_GROUPS:
        if len(members) == 1:
            results.append([_header(group, "row", colspan=2), *_values(table.outcomes[members[0].value])])
            continue
        for n, outcome in enumerate(members, start=1):
            row = [_header(f"{n}．{outcome.label}", "row"), *_values(table.outcomes[outcome.value])]
            results.append([_header(group, "row", rowspan=len(members)), *row] if n == 1 else row)
    results.append([_header(ROW_RESULTS_TOTAL, "row", colspan=2), *_values(table.outcome_total())])
    results[0].insert(0, _header(ROW_RESULTS, "row", rowspan=len(results)))
    body = [
        [_header(ROW_NEW, "row", colspan=3), *_values(table.new)],
        [_header(ROW_CARRIED_OVER, "row", colspan=3), *_values(table.carried_over)],
        *results,
        [_header(ROW_CARRIED_FORWARD, "row", colspan=3), *_values(table.carried_forward)],
    ]
    return Grid("收到和处理政府信息公开申请情况", head, body)


def table_four(page: AnnualReportPage) -> Grid:
    """政府信息公开行政复议、行政诉讼情况: 15 numbers, each 总计 the sum of the four before it."""
    results = [_header(label, rowspan=2) for _, label in RESULTS] + [_header(TOTAL, rowspan=2)]
    head = [
        [_header("行政复议", "colgroup", colspan=5), _header("行政诉讼", "colgroup", colspan=10)],
        [
            *results,
            _header("未经复议直接起诉", "colgroup", colspan=5),
            _header("复议后起诉", "colgroup", colspan=5),
        ],
        [_header(label) for _, label in RESULTS] * 2 + [_header(TOTAL)],
    ]
    head[2].insert(4, _header(TOTAL))
    values: list[Cell] = []
    for group, _ in APPEAL_GROUPS:
        numbers = [int(getattr(page, f"{group}_{key}")) for key, _ in RESULTS]
        values += [_number(n) for n in [*numbers, sum(numbers)]]
    return Grid("政府信息公开行政复议、行政诉讼情况", head, [values])


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def computed(site: Site | None, year: int) -> tuple[list[CatalogueRow], TableThree]:
    """The numbers records hold, computed now."""
    if site is None:
        return [], TableThree()
    return catalogue_counts(site, year), count_cases(site_case_records(site, year), year)


def snapshot_data(site: Site | None, year: int) -> dict[str, Any]:
    rows, table = computed(site, year)
    return {
        "table_two": [[row.label, row.issued, row.repealed, row.in_force] for row in rows],
        "table_three": table.to_json(),
    }


def freeze(page: AnnualReportPage) -> None:
    """Keep the computed numbers of a report published for the first time (never replaced)."""
    from .models import ReportSnapshot

    with transaction.atomic():
        if ReportSnapshot.objects.select_for_update().filter(page_id=page.pk).exists():
            return
        data = snapshot_data(page.get_site(), page.year)
        ReportSnapshot.objects.create(page_id=page.pk, year=page.year, data=data)


def build_report(page: AnnualReportPage) -> AnnualReport:
    from .models import ReportSnapshot

    snapshot = ReportSnapshot.objects.filter(page_id=page.pk).first() if page.pk else None
    site = page.get_site() if page.url_path else None
    if snapshot is not None and snapshot.year == page.year:
        rows = [CatalogueRow(*row) for row in snapshot.data.get("table_two", [])]
        table = TableThree.from_json(snapshot.data.get("table_three", {}))
    else:
        snapshot = None
        rows, table = computed(site, page.year)
    organiser = SiteProfile.for_site(site).organiser if site else ""
    sections = [
        Section(SECTION_TITLES[0], paragraphs(page.overview)),
        Section(SECTION_TITLES[1], grids=table_two(rows, page)),
        Section(SECTION_TITLES[2], grids=[table_three_grid(table)]),
        Section(SECTION_TITLES[3], grids=[table_four(page)]),
        Section(SECTION_TITLES[4], paragraphs(page.problems)),
        Section(SECTION_TITLES[5], paragraphs(page.other_matters)),
    ]
    return AnnualReport(
        title=page.title,
        organiser=organiser,
        year=page.year,
        sections=sections,
        table_three=table,
        frozen_at=snapshot.frozen_at if snapshot else None,
        imbalance=table.imbalance(),
    )
