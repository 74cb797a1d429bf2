"""The numbers of the 年报 that records hold: table three from the 依申请公开 cases, table two's
第（一）项 from the 公开目录 (国办公开办函〔2021〕30号; docs/annual-report.md).

The counting is pure (`count_cases` takes plain records) so that the reconciliation can be tested
over any set of cases; `site_case_records` and `catalogue_counts` read the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from wagtail.models import Site

from govsite.content.models import ArticlePage, DocumentValidity, listed_articles
from govsite.disclosure.models import DisclosureRequest, Status
from govsite.disclosure.outcomes import OUTCOME_GROUPS, ApplicantType, Outcome

# Table three's columns, in order (自然人, then the five kinds of 法人或其他组织); 总计 is their sum.
COLUMNS: list[str] = [str(member.value) for member in ApplicantType]
OUTCOMES: list[str] = [str(outcome.value) for _, members in OUTCOME_GROUPS for outcome in members]
# Table two's 第（一）项 rows and the 体裁分类 names that count in each (the seeded list says 规范性文件).
GENRE_ROWS: list[tuple[str, tuple[str, ...]]] = [
    ("规章", ("规章",)),
    ("行政规范性文件", ("行政规范性文件", "规范性文件")),
]
# A file that has stopped being in force: 废止 or 失效 (an amended file stays in force as amended).
ENDED = (DocumentValidity.Status.REPEALED, DocumentValidity.Status.EXPIRED)


@dataclass(frozen=True)
class CaseRecord:
    """What the report needs of one case: who applied, when it came in, when and how it closed."""

    applicant_type: str
    received_on: dt.date
    closed_on: dt.date | None  # None while the case is open
    outcome: str = ""

    @property
    def settled_on(self) -> dt.date | None:
        """The closing date, never before receipt: a case cannot be closed before it arrived, and a
        date typed wrongly must not make a case vanish from both sides of the balance."""
        return max(self.closed_on, self.received_on) if self.closed_on else None


def _zeros() -> dict[str, int]:
    return dict.fromkeys(COLUMNS, 0)


@dataclass
class TableThree:
    """收到和处理政府信息公开申请情况: counts per applicant column for each row."""

    new: dict[str, int] = field(default_factory=_zeros)
    carried_over: dict[str, int] = field(default_factory=_zeros)
    outcomes: dict[str, dict[str, int]] = field(default_factory=lambda: {o: _zeros() for o in OUTCOMES})
    carried_forward: dict[str, int] = field(default_factory=_zeros)

    def outcome_total(self) -> dict[str, int]:
        """Row 三（七）总计: every outcome of the year, per column."""
        return {column: sum(self.outcomes[o][column] for o in OUTCOMES) for column in COLUMNS}

    @staticmethod
    def with_total(counts: dict[str, int]) -> list[int]:
        """A row as the table shows it: the six columns, then 总计."""
        values = [counts[column] for column in COLUMNS]
        return [*values, sum(values)]

    def imbalance(self) -> list[str]:
        """The columns where 一 + 二 ≠ 三（七） + 四 (empty when the table reconciles)."""
        totals = self.outcome_total()
        labels = dict(ApplicantType.choices)
        wrong = [
            labels[column]
            for column in COLUMNS
            if self.new[column] + self.carried_over[column] != totals[column] + self.carried_forward[column]
        ]
        return wrong

    def to_json(self) -> dict[str, Any]:
        return {
            "new": self.new,
            "carried_over": self.carried_over,
            "outcomes": self.outcomes,
            "carried_forward": self.carried_forward,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TableThree:
        table = cls()
        for name in ("new", "carried_over", "carried_forward"):
            getattr(table, name).update(data.get(name, {}))
        for outcome, counts in data.get("outcomes", {}).items():
            if outcome in table.outcomes:
                table.outcomes[outcome].update(counts)
        return table


def count_cases(cases: Iterable[CaseRecord], year: int) -> TableThree:
    """Table three for `year`. With S = 1 January and E = 31 December of the year, and a case's
    settled date C (its closing date, or None while open):

    - 一、本年新收: received in the year (S ≤ received ≤ E);
    - 二、上年结转: received before the year and not closed before it (received < S, C is None or C ≥ S);
    - 三、本年度办理结果: received by E and closed in the year (S ≤ C ≤ E), under its outcome (a closed
      case without one counts as （六）3 其他);
    - 四、结转下年度继续办理: received by E and not closed by it (C is None or C > E).

    Every case counted in 一 or 二 is in exactly one of 三 and 四, so 一 + 二 = 三（七） + 四 in every
    column, whatever the data.
    """
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    table = TableThree()
    for case in cases:
        column = case.applicant_type if case.applicant_type in table.new else ApplicantType.OTHER_ORG.value
        settled = case.settled_on
        if case.received_on > end or (settled is not None and settled < start):
            continue  # outside the year altogether
        if case.received_on >= start:
            table.new[column] += 1
        else:
            table.carried_over[column] += 1
        if settled is not None and settled <= end:
            outcome = case.outcome if case.outcome in table.outcomes else Outcome.OTHER.value
            table.outcomes[outcome][column] += 1
        else:
            table.carried_forward[column] += 1
    return table


def site_case_records(site: Site, year: int) -> list[CaseRecord]:
    """The cases of `site` that table three of `year` can count (the others are left out by SQL)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    closed = (Status.REPLIED, Status.CLOSED)
    rows = (
        DisclosureRequest.objects.filter(site=site, received_on__lte=end)
        .exclude(status__in=closed, replied_on__lt=start, received_on__lt=start)
        .values_list("applicant_type", "received_on", "status", "replied_on", "outcome")
    )
    return [
        CaseRecord(kind, received, (replied or received) if status in closed else None, outcome)
        for kind, received, status, replied, outcome in rows
    ]


@dataclass(frozen=True)
class CatalogueRow:
    """One row of table two's 第（一）项."""

    label: str
    issued: int  # 本年制发件数
    repealed: int  # 本年废止件数
    in_force: int  # 现行有效件数 (at the end of the year)


def catalogue_counts(site: Site, year: int) -> list[CatalogueRow]:
    """规章 and 行政规范性文件 of the site's 公开目录 (listed articles with that 体裁分类):

    - 本年制发: 成文日期 in the year (the 发布日期 when no 成文日期 was entered);
    - 本年废止: 有效性 废止 or 失效, set during the year;
    - 现行有效: made by the end of the year and not 废止/失效 by then.
    """
    rows = []
    end = dt.date(year, 12, 31)
    for label, genres in GENRE_ROWS:
        articles = ArticlePage.objects.filter(
            pk__in=listed_articles().descendant_of(site.root_page).values("pk"),
            catalogue_entries__genre__name__in=genres,
        ).values_list(
            "catalogue_entries__written_date", "pub_date", "validity__status", "validity__changed_at"
        )
        issued = repealed = in_force = 0
        for written, published, status, changed in articles:
            made = written or (timezone.localtime(published).date() if published else None)
            ended_on = timezone.localtime(changed).date() if status in ENDED and changed else None
            if made is not None and made.year == year:
                issued += 1
            if ended_on is not None and ended_on.year == year:
                repealed += 1
            if made is not None and made <= end and (ended_on is None or ended_on > end):
                in_force += 1
        rows.append(CatalogueRow(label, issued, repealed, in_force))
    return rows
