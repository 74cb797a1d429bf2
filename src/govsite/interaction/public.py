"""What the public sees of the messages: the list, a message's page, the monthly statistics and its chart.

Only messages the writer allowed to publish and whose reply passed 审核 are listed (`Message.is_public`);
templates show `public_name` (张**) and the texts with phone numbers, ID numbers and e-mail addresses
removed (`public_*`). The statistics count every valid message received by the site (spam left out),
published or not, and draw their chart as inline SVG made here: no script, no other host.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from math import ceil

from django.db.models import QuerySet
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from wagtail.models import Site

from govsite.workdays.calendar import WorkdayCalendar

from .deadlines import on_time
from .models import ANSWERED_STATUSES, Message, MessageBoardPage, Status

PER_PAGE = 20
STATISTICS_MONTHS = 12


def public_messages(site: Site) -> QuerySet[Message]:
    """The messages written to `site` that its board shows, newest reply first."""
    return (
        Message.objects.filter(origin_site=site, publish_allowed=True, status__in=ANSWERED_STATUSES)
        .select_related("channel")
        .order_by("-replied_on", "-pk")
    )


def board_site(board: MessageBoardPage) -> Site:
    site = board.get_site()
    if site is None:
        raise LookupError("the board is not on a site")
    return site


def file_name(number: int) -> str:
    return "" if number == 1 else f"index_{number}.html"


def message_slug(message: Message) -> str:
    return f"{message.number.lower()}.html"


@dataclass
class Listing:
    items: list[Message]
    number: int
    page_count: int
    total: int
    pages: list[tuple[int, str]] = field(default_factory=list)


def message_list(board: MessageBoardPage, number: int) -> Listing:
    """List page `number` (from 1); LookupError past the last page (page 1 always exists)."""
    messages = public_messages(board_site(board))
    total = messages.count()
    page_count = max(1, ceil(total / PER_PAGE))
    if number > page_count:
        raise LookupError(number)
    items = list(messages[(number - 1) * PER_PAGE : number * PER_PAGE])
    pages = [(n, file_name(n)) for n in range(1, page_count + 1)]
    return Listing(items, number, page_count, total, pages)


def public_message(board: MessageBoardPage, slug: str) -> Message | None:
    return public_messages(board_site(board)).filter(number=slug.upper()).first()


def subpaths(board: MessageBoardPage) -> list[str]:
    """Every static address of the board: list pages, message pages, statistics."""
    site = board.get_site()
    if site is None:
        return []
    messages = public_messages(site)
    page_count = max(1, ceil(messages.count() / PER_PAGE))
    numbers = messages.values_list("number", flat=True)
    return [
        *(file_name(n) for n in range(1, page_count + 1)),
        *(f"{number.lower()}.html" for number in numbers),
        "tj.html",
    ]


def changed_subpaths(board: MessageBoardPage, message: Message) -> list[str]:
    """What to render again when `message` was answered or rated: its page, the lists, the statistics.

    A message that may not be published is still rendered: its address then answers 404 (and loses any
    file it had), and the statistics change anyway."""
    count = public_messages(board_site(board)).count()
    lists = [file_name(n) for n in range(1, max(1, ceil(count / PER_PAGE)) + 1)]
    return [message_slug(message), *lists, "tj.html"]


# --- statistics ----------------------------------------------------------------------------------
@dataclass
class MonthRow:
    month: dt.date
    received: int = 0
    answered: int = 0
    on_time: int = 0
    total_days: int = 0
    ratings: list[int] = field(default_factory=list)

    @property
    def average_days(self) -> float | None:
        return round(self.total_days / self.answered, 1) if self.answered else None

    @property
    def on_time_rate(self) -> int | None:
        return round(100 * self.on_time / self.answered) if self.answered else None

    @property
    def satisfaction(self) -> float | None:
        return round(sum(self.ratings) / len(self.ratings), 1) if self.ratings else None


@dataclass
class Statistics:
    rows: list[MonthRow]
    total: MonthRow
    chart: SafeString


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _months_back(today: dt.date, count: int) -> list[dt.date]:
    months, month = [], _month(today)
    for _ in range(count):
        months.append(month)
        month = _month(month - dt.timedelta(days=1))
    return months[::-1]


def statistics(board: MessageBoardPage, today: dt.date | None = None) -> Statistics:
    """The last 12 months of messages received by the board's site, by month of receipt."""
    return site_statistics(board_site(board), today)


def site_statistics(site: Site, today: dt.date | None = None) -> Statistics:
    today = today or dt.date.today()
    months = _months_back(today, STATISTICS_MONTHS)
    rows = {month: MonthRow(month) for month in months}
    total = MonthRow(months[0])
    calendar = WorkdayCalendar.load()
    messages = (
        Message.objects.filter(origin_site=site, received_on__gte=months[0])
        .exclude(status=Status.SPAM)
        .select_related("channel")
    )
    for message in messages.iterator():
        row = rows.get(_month(message.received_on))
        if row is None:
            continue
        for target in (row, total):
            target.received += 1
            if message.replied_on:
                target.answered += 1
                target.total_days += message.answer_days or 0
                target.on_time += 1 if on_time(message, calendar) else 0
            if message.rating:
                target.ratings.append(message.rating)
    ordered = [rows[m] for m in months]
    return Statistics(ordered, total, bar_chart(ordered))


CHART_WIDTH, CHART_HEIGHT, CHART_TOP, CHART_BOTTOM, CHART_LEFT = 720, 260, 20, 40, 40


def _n(value: float) -> str:
    """A coordinate with one decimal (format_html escapes its arguments to strings first)."""
    return f"{value:.1f}"


def bar_chart(rows: list[MonthRow]) -> SafeString:
    """Received (light) and answered (dark) bars per month, as an accessible inline SVG.

    The numbers are in the table next to it; the SVG has a title and a description for screen readers."""
    peak = max([row.received for row in rows] + [1])
    plot_height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    slot = (CHART_WIDTH - CHART_LEFT) / max(len(rows), 1)
    bar = slot * 0.35
    parts: list[SafeString] = []
    for index, row in enumerate(rows):
        x = CHART_LEFT + index * slot + slot * 0.12
        for offset, value, css in ((0.0, row.received, "bar-received"), (bar, row.answered, "bar-answered")):
            height = plot_height * value / peak
            y = CHART_TOP + plot_height - height
            parts.append(
                format_html(
                    '<rect class="{}" x="{}" y="{}" width="{}" height="{}"></rect>',
                    css,
                    _n(x + offset),
                    _n(y),
                    _n(bar),
                    _n(height),
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle">{}月</text>',
                _n(x + bar),
                CHART_HEIGHT - CHART_BOTTOM + 18,
                row.month.month,
            )
        )
    axis = format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" class="axis"></line><text x="4" y="{}">{}</text>',
        CHART_LEFT,
        CHART_TOP + plot_height,
        CHART_WIDTH,
        CHART_TOP + plot_height,
        CHART_TOP + 10,
        peak,
    )
    summary = "；".join(
        f"{r.month.year}年{r.month.month}月收到{r.received}件、答复{r.answered}件" for r in rows
    )
    return format_html(
        '<svg class="message-chart" role="img" aria-labelledby="chart-title chart-desc" viewBox="0 0 {} {}" '
        'xmlns="http://www.w3.org/2000/svg"><title id="chart-title">各月收到与答复留言数</title>'
        '<desc id="chart-desc">{}</desc>{}{}</svg>',
        CHART_WIDTH,
        CHART_HEIGHT,
        summary,
        axis,
        format_html_join("", "{}", ((part,) for part in parts)),
    )
