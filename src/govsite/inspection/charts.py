"""Trend charts drawn on the server as SVG: no script, no third-party host, and the same picture in
every browser. Each chart names itself (`role="img"`, title and description) and the dashboard shows
its numbers as a table too, so nothing is told by the drawing alone."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 36


@dataclass(frozen=True)
class Point:
    label: str  # the x-axis text: a date
    value: float | None  # None: nothing measured (a run without a score)
    flagged: bool = False  # drawn as a red square (a vetoed run)
    note: str = ""  # the tooltip: what the point says in words


def _x(index: int, count: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return LEFT + (span * index / (count - 1) if count > 1 else span / 2)


def _y(value: float, top: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / top) if top else HEIGHT - BOTTOM


def line_chart(
    chart_id: str, title: str, points: list[Point], top: float, threshold: float | None = None
) -> SafeString:
    """A line over `points` (oldest first) on a 0…`top` axis, a dashed line at `threshold`."""
    top = max(top, max((p.value for p in points if p.value is not None), default=0), 1)
    parts = [
        f'<svg id="{escape(chart_id)}" class="inspection-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(_description(points))}</desc>',
    ]
    for value in (0, top / 2, top):
        y = _y(value, top)
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{value:g}</text>')
    if threshold is not None:
        y = _y(threshold, top)
        parts.append(f'<line class="threshold" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(
            f'<text class="axis" x="{WIDTH - RIGHT}" y="{y - 4:.1f}" text-anchor="end">'
            f"合格线 {threshold:g}</text>"
        )
    parts += _series(points, top)
    return mark_safe("".join(parts) + "</svg>")  # noqa: S308 - every text above is escaped


def _series(points: list[Point], top: float) -> list[str]:
    count = len(points)
    parts = []
    line = " ".join(
        f"{_x(i, count):.1f},{_y(p.value, top):.1f}" for i, p in enumerate(points) if p.value is not None
    )
    if line:
        parts.append(f'<polyline class="series" points="{line}"/>')
    for i, point in enumerate(points):
        x = _x(i, count)
        if point.value is not None or point.flagged:
            y = _y(point.value or 0, top)
            tip = f"<title>{escape(point.label)}：{escape(point.note)}</title>"
            if point.flagged:
                parts.append(
                    f'<rect class="flagged" x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10">'
                    f"{tip}</rect>"
                )
            else:
                parts.append(f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="4">{tip}</circle>')
        if i in {0, count // 2, count - 1}:
            parts.append(
                f'<text class="axis" x="{x:.1f}" y="{HEIGHT - 12}" text-anchor="middle">'
                f"{escape(point.label)}</text>"
            )
    return parts


def _description(points: list[Point]) -> str:
    if not points:
        return "暂无数据"
    return f"共 {len(points)} 次，自 {points[0].label} 至 {points[-1].label}；最近一次：{points[-1].note}"
