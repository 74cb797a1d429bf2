"""The legal working-day clock: which days count, and the date N working days after another.

The 政府信息公开条例 sets its deadlines in working days (Art. 26: 20 to publish; Art. 30: 7 to ask for a
supplement; Art. 32: 15 for a third party; Art. 33: 20 to reply, plus at most 20), and counts them as
Chinese law counts periods: the day the period starts on is not counted (期间开始之日不计算在内).
A working day is a Monday to Friday that is not a statutory holiday, or a weekend day made a working
day by 调休. The holidays come from the `chinese-calendar` package for the years it ships and from the
administrators' `HolidayYear`/`HolidayOverride` rows, which win over the package. For a year neither
knows, the clock refuses to guess: a deadline computed from weekends alone may fall inside a 春节 week.

Use the module functions for one computation; `WorkdayCalendar.load()` once when computing many
deadlines (a dashboard), so that the overrides are read from the database once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import chinese_calendar

from .models import HolidayOverride, HolidayYear

WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
ONE_DAY = dt.timedelta(days=1)


def unknown_year_message(year: int) -> str:
    """What an operator is told when a count needs a year whose holidays nobody entered."""
    return f"{year} 年的节假日安排未知：请在后台“节假日调整”中录入该年安排后重试"


class UnknownHolidayYear(Exception):
    """A count crossed a year whose holidays neither `chinese-calendar` nor a complete override set knows."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(unknown_year_message(year))


def weekday_name(day: dt.date) -> str:
    """The day of the week in Chinese (星期四), as notices and replies write it."""
    return WEEKDAY_NAMES[day.weekday()]


def format_day(day: dt.date) -> str:
    """`2026-10-15（星期四）`: the ISO date people can type back, with the weekday they check it by."""
    return f"{day.isoformat()}（{weekday_name(day)}）"


@lru_cache(maxsize=8192)
def _package_is_workday(day: dt.date) -> bool | None:
    """The package's answer, or None for a year it does not ship (its data never changes in a process)."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


def _plain_date(day: dt.date) -> dt.date:
    """A datetime is a date too, but must not miss the overrides, which are keyed by plain dates."""
    return day.date() if isinstance(day, dt.datetime) else day


@dataclass(frozen=True)
class WorkdayCalendar:
    """The working days as known at one moment: the package plus the administrators' overrides."""

    # Day -> whether it is a working day, from HolidayOverride rows.
    overrides: Mapping[dt.date, bool] = field(default_factory=dict)
    # Years an administrator declared complete: every holiday and 调休 day of them is an override.
    complete_years: frozenset[int] = frozenset()

    @classmethod
    def load(cls) -> WorkdayCalendar:
        """Read every year's overrides in one query (a few dozen rows per year)."""
        overrides: dict[dt.date, bool] = {}
        complete: set[int] = set()
        rows = HolidayYear.objects.values_list("year", "complete", "overrides__date", "overrides__kind")
        for year, is_complete, day, kind in rows:
            if is_complete:
                complete.add(year)
            if day is not None:
                overrides[day] = kind == HolidayOverride.Kind.WORKDAY
        return cls(overrides, frozenset(complete))

    def is_workday(self, day: dt.date) -> bool:
        """Whether `day` counts; UnknownHolidayYear when nobody knows that year's holidays."""
        day = _plain_date(day)
        if day in self.overrides:
            return self.overrides[day]
        known = _package_is_workday(day)
        if known is not None:
            return known
        if day.year in self.complete_years:
            return day.weekday() < 5
        raise UnknownHolidayYear(day.year)

    def add_workdays(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after `start` (before it for negative n); `start` itself never counts.

        For n=20 this is the last day of a 20-working-day period that began on `start` (the day of
        receipt). n=0 returns `start`, whatever it is.
        """
        day = _plain_date(start)
        step = ONE_DAY if n > 0 else -ONE_DAY
        remaining = abs(n)
        while remaining:
            try:
                day += step
            except OverflowError:
                raise UnknownHolidayYear(day.year + (1 if n > 0 else -1)) from None
            if self.is_workday(day):
                remaining -= 1
        return day

    def workdays_between(self, a: dt.date, b: dt.date) -> int:
        """Working days after `a` up to and including `b`; negative (those in [b, a)) when b is before a.

        The inverse of `add_workdays`: for a working day b, add_workdays(a, workdays_between(a, b)) == b.
        """
        a, b = _plain_date(a), _plain_date(b)
        if b == a:
            return 0
        if b > a:
            return sum(1 for day in _days(a + ONE_DAY, b) if self.is_workday(day))
        return -sum(1 for day in _days(b, a - ONE_DAY) if self.is_workday(day))


def _days(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    """Every day from `first` to `last`, both included."""
    day = first
    while day <= last:
        yield day
        day += ONE_DAY


def is_workday(day: dt.date) -> bool:
    """Whether `day` is a working day (one database query)."""
    return WorkdayCalendar.load().is_workday(day)


def add_workdays(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start`, not counting `start` (one database query)."""
    return WorkdayCalendar.load().add_workdays(start, n)


def workdays_between(a: dt.date, b: dt.date) -> int:
    """Working days in (a, b], negative when b is before a (one database query)."""
    return WorkdayCalendar.load().workdays_between(a, b)
