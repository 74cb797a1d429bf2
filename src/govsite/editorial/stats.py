"""稿件统计 for a department's quarterly 考核: what was published, by whom, where, how fast.

Counts are of 稿件 (articles and information pages) first published in the chosen period on the
chosen sites; review time runs from submission (提交审核) to the final approval; column freshness
(栏目更新, a State Council checklist item) is the days since each column last got a new 稿件.
"""

import io
import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import CharField, Count, IntegerField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Cast, Coalesce, Length, Substr, TruncMonth
from django.utils import timezone
from wagtail.admin.widgets import AdminDateInput
from wagtail.models import Page, Revision, Site, WorkflowState, get_default_page_content_type

from govsite.content.models import ColumnPage

from .dashboard import display_name, manuscripts, page_workflow_states


def quarter_start(today: date) -> date:
    return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)


class StatisticsForm(forms.Form):
    site = forms.ChoiceField(label="网站", required=False)
    start = forms.DateField(label="开始日期", widget=AdminDateInput)
    end = forms.DateField(label="结束日期", widget=AdminDateInput)

    def __init__(self, data: Any, sites: list[Site]) -> None:
        if "start" not in data and "end" not in data:  # first visit: this quarter so far
            today = timezone.localdate()
            data = {"site": "", "start": quarter_start(today).isoformat(), "end": today.isoformat()}
        super().__init__(data)
        self.sites = sites
        choices = [(str(site.pk), site.site_name or site.hostname) for site in sites]
        site = cast(forms.ChoiceField, self.fields["site"])
        site.choices = [("", "全部网站"), *choices] if len(sites) > 1 else choices
        site.error_messages["invalid_choice"] = "只能统计您管理的网站。"

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise forms.ValidationError("结束日期不能早于开始日期。")
        return data

    def chosen_sites(self) -> list[Site]:
        wanted = self.cleaned_data.get("site")
        return [site for site in self.sites if not wanted or str(site.pk) == wanted]


@dataclass
class ColumnUpdate:
    site: str
    column: str
    last: datetime | None
    days: int | None


@dataclass
class Statistics:
    sites: list[Site]
    start: date
    end: date
    total: int
    by_editor: list[tuple[str, int]]
    by_column: list[tuple[str, str, int]]
    by_month: list[tuple[str, int]]
    review_count: int
    review_average_hours: float | None
    review_median_hours: float | None
    columns: list[ColumnUpdate]


def _in_sites(sites: list[Site]) -> Q:
    scope = Q(pk__in=[])
    for site in sites:
        scope |= Q(path__startswith=site.root_page.path)
    return scope


def _site_name(path: str, sites: list[Site]) -> str:
    return next((s.site_name or s.hostname for s in sites if path.startswith(s.root_page.path)), "")


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime.combine(start, time.min, tz), datetime.combine(end + timedelta(days=1), time.min, tz)


def first_author() -> Any:
    """Who wrote a page's first version: its editor when the page has no owner (made by an import)."""
    return (
        Revision.objects.filter(
            base_content_type=get_default_page_content_type(),
            object_id=Cast(OuterRef("pk"), output_field=CharField()),  # object_id is text
        )
        .order_by("created_at", "pk")
        .values("user")[:1]
    )


def _parent_path() -> Substr:
    return Substr("path", 1, Length("path") - Page.steplen)


def compute(sites: list[Site], start: date, end: date, now: datetime | None = None) -> Statistics:
    """The statistics of `sites` for the days start..end (inclusive), in a few grouped queries."""
    since, until = _bounds(start, end)
    # Grouped queries: .order_by() keeps the pages' default ordering (path) out of the GROUP BY.
    published = (
        manuscripts()
        .filter(_in_sites(sites), first_published_at__gte=since, first_published_at__lt=until)
        .order_by()
    )

    editors = dict(
        published.annotate(editor=Coalesce("owner", Subquery(first_author()), output_field=IntegerField()))
        .values("editor")
        .annotate(n=Count("pk"))
        .values_list("editor", "n")
    )
    users = get_user_model().objects.in_bulk([pk for pk in editors if pk is not None])
    by_editor = sorted(
        ((display_name(users.get(pk)) if pk else "（未知）", n) for pk, n in editors.items()),
        key=lambda row: (-row[1], row[0]),
    )

    per_parent = dict(
        published.annotate(parent=_parent_path())
        .values("parent")
        .annotate(n=Count("pk"))
        .values_list("parent", "n")
    )
    titles = dict(Page.objects.filter(path__in=list(per_parent)).values_list("path", "title"))
    by_column = sorted(
        ((_site_name(path, sites), titles.get(path, ""), n) for path, n in per_parent.items()),
        key=lambda row: (-row[2], row[0], row[1]),
    )

    months = (
        published.annotate(month=TruncMonth("first_published_at")).values("month").annotate(n=Count("pk"))
    )
    by_month = sorted((f"{row['month']:%Y-%m}", row["n"]) for row in months)

    hours = review_hours(sites, since, until)
    return Statistics(
        sites=sites,
        start=start,
        end=end,
        total=sum(editors.values()),
        by_editor=by_editor,
        by_column=by_column,
        by_month=by_month,
        review_count=len(hours),
        review_average_hours=round(statistics.fmean(hours), 1) if hours else None,
        review_median_hours=round(statistics.median(hours), 1) if hours else None,
        columns=column_updates(sites, now),
    )


def review_hours(sites: list[Site], since: datetime, until: datetime) -> list[float]:
    """Hours from submission to final approval of every review finished in the period on `sites`."""
    finished = (
        page_workflow_states()
        .filter(status=WorkflowState.STATUS_APPROVED)
        .order_by()
        .annotate(approved_at=Max("task_states__finished_at"))
        .filter(approved_at__gte=since, approved_at__lt=until)
        .values_list("object_id", "created_at", "approved_at")
    )
    rows = list(finished)
    # object_id is text (a generic relation): the pages are looked up by id, not joined.
    in_sites = set(
        Page.objects.filter(
            _in_sites(sites), pk__in={int(object_id) for object_id, _, _ in rows}
        ).values_list("pk", flat=True)
    )
    return [
        (approved - submitted).total_seconds() / 3600
        for object_id, submitted, approved in rows
        if int(object_id) in in_sites
    ]


def column_updates(sites: list[Site], now: datetime | None = None) -> list[ColumnUpdate]:
    """Every column of `sites` with its latest new 稿件 and the days since, stalest first."""
    last = dict(
        manuscripts()
        .filter(_in_sites(sites), live=True)
        .order_by()
        .annotate(parent=_parent_path())
        .values("parent")
        .annotate(last=Max("first_published_at"))
        .values_list("parent", "last")
    )
    today = timezone.localdate(now or timezone.now())
    rows = []
    for column in ColumnPage.objects.filter(_in_sites(sites)).order_by("path").only("title", "path"):
        latest = last.get(column.path)
        days = (today - timezone.localdate(latest)).days if latest else None
        rows.append(ColumnUpdate(_site_name(column.path, sites), column.title, latest, days))
    return sorted(rows, key=lambda r: (r.days is not None, -(r.days or 0)))


# --- Excel ------------------------------------------------------------------------------------
def _cell_text(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return "—" if value is None else value


def workbook_bytes(stats: Statistics) -> bytes:
    """The statistics as an .xlsx workbook with Chinese headers, one sheet per table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    site_names = "、".join(s.site_name or s.hostname for s in stats.sites)
    sheets: list[tuple[str, list[str], list[tuple[Any, ...]]]] = [
        (
            "概况",
            [
                "网站",
                "开始日期",
                "结束日期",
                "发布稿件数",
                "完成审核数",
                "平均审核用时（小时）",
                "审核用时中位数（小时）",
            ],
            [
                (
                    site_names,
                    stats.start.isoformat(),
                    stats.end.isoformat(),
                    stats.total,
                    stats.review_count,
                    stats.review_average_hours,
                    stats.review_median_hours,
                )
            ],
        ),
        ("按编辑", ["编辑", "发布稿件数"], list(stats.by_editor)),
        ("按栏目", ["网站", "栏目", "发布稿件数"], list(stats.by_column)),
        ("按月份", ["月份", "发布稿件数"], list(stats.by_month)),
        (
            "栏目更新",
            ["网站", "栏目", "最近更新时间", "距今天数"],
            [(c.site, c.column, c.last, c.days) for c in stats.columns],
        ),
    ]
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell_text(value) for value in row])
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # a title is text, never a formula
        for column, header in zip(sheet.columns, headers, strict=True):
            sheet.column_dimensions[column[0].column_letter].width = max(12, len(header) * 2 + 4)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
