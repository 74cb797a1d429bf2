"""The working-day clock against the State Council's holiday notices for 2025 and 2026.

Facts: 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号) and the notice for 2026
(docs/workdays.md). Deadlines are counted as the 条例 counts them: from the day after receipt.
"""

import datetime as dt

import pytest

from govsite.workdays.calendar import (
    UnknownHolidayYear,
    WorkdayCalendar,
    add_workdays,
    format_day,
    is_workday,
    unknown_year_message,
    workdays_between,
)
from govsite.workdays.models import HolidayOverride, HolidayYear

PACKAGE_ONLY = WorkdayCalendar()


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def days(first: str, last: str) -> list[dt.date]:
    return [d(first) + dt.timedelta(days=i) for i in range((d(last) - d(first)).days + 1)]


# --- The notices' facts --------------------------------------------------------------------------
NOTICE_HOLIDAYS = [
    *days("2025-01-28", "2025-02-04"),  # 2025 春节: 1月28日至2月4日
    *days("2025-10-01", "2025-10-08"),  # 2025 国庆节、中秋节: 10月1日至8日
    *days("2025-05-01", "2025-05-05"),  # 2025 劳动节: 5月1日至5日
    *days("2026-01-01", "2026-01-03"),  # 2026 元旦: 1月1日至3日
    *days("2026-02-15", "2026-02-23"),  # 2026 春节: 2月15日至23日
    *days("2026-10-01", "2026-10-07"),  # 2026 国庆节: 10月1日至7日
]
NOTICE_WEEKEND_WORKDAYS = [
    "2025-01-26",  # Sunday, 春节
    "2025-02-08",  # Saturday, 春节
    "2025-04-27",  # Sunday, 劳动节
    "2025-09-28",  # Sunday, 国庆节
    "2025-10-11",  # Saturday, 国庆节
    "2026-01-04",  # Sunday, 元旦
    "2026-02-14",  # Saturday, 春节
    "2026-02-28",  # Saturday, 春节
    "2026-05-09",  # Saturday, 劳动节
    "2026-09-20",  # Sunday, 国庆节
    "2026-10-10",  # Saturday, 国庆节
]


@pytest.mark.parametrize("day", NOTICE_HOLIDAYS, ids=str)
def test_the_notices_holidays_do_not_count(day):
    assert PACKAGE_ONLY.is_workday(day) is False


@pytest.mark.parametrize("day", NOTICE_WEEKEND_WORKDAYS)
def test_the_notices_weekend_working_days_count(day):
    assert d(day).weekday() >= 5
    assert PACKAGE_ONLY.is_workday(d(day)) is True


def test_an_ordinary_weekend_does_not_count_and_a_weekday_does():
    assert PACKAGE_ONLY.is_workday(d("2025-10-18")) is False  # Saturday
    assert PACKAGE_ONLY.is_workday(d("2025-10-20")) is True  # Monday


# --- Deadlines -----------------------------------------------------------------------------------
DEADLINES = [
    # received, working days, last day of the period
    ("2025-09-26", 20, "2025-10-30"),  # across 国庆 2025, Sunday 9-28 and Saturday 10-11 counted
    ("2025-09-30", 20, "2025-11-04"),  # received on the eve of 国庆
    ("2025-01-24", 20, "2025-02-27"),  # across 春节 2025, Sunday 1-26 and Saturday 2-8 counted
    ("2025-01-27", 20, "2025-03-03"),  # 春节 2025 with only the 调休 Saturday inside
    ("2026-02-13", 20, "2026-03-19"),  # across 春节 2026, Saturdays 2-14 and 2-28 counted
    ("2026-09-18", 20, "2026-10-22"),  # across 中秋 and 国庆 2026
    ("2025-10-03", 1, "2025-10-09"),  # received on a holiday: the first working day after it
    ("2025-10-03", 20, "2025-11-04"),
    ("2025-04-30", 7, "2025-05-14"),  # a 补正 notice (Art. 30, 7 working days) across 劳动节
    ("2024-12-31", 7, "2025-01-10"),  # across the year end and 元旦
    ("2025-12-31", 20, "2026-01-29"),  # across the year end, 元旦 2026 and its 调休 Sunday
    ("2026-12-03", 20, "2026-12-31"),  # the last deadline of the package's last year
    ("2025-10-15", -5, "2025-10-09"),  # backwards, the 调休 Saturday 10-11 counted
    ("2025-10-09", -1, "2025-09-30"),  # backwards over the whole 国庆 week
    ("2025-02-10", -7, "2025-01-24"),  # backwards over 春节 2025
    ("2025-10-01", 0, "2025-10-01"),  # n=0 is the start, even on a holiday
]


@pytest.mark.parametrize(("received", "n", "due"), DEADLINES)
def test_deadlines(received, n, due):
    assert PACKAGE_ONLY.add_workdays(d(received), n) == d(due)


def test_a_weekend_only_count_would_be_wrong_across_the_festivals():
    """The point of the clock: counting Monday to Friday misses both holidays and 调休 days."""
    received = d("2025-09-26")
    weekdays_only = received
    for _ in range(20):
        weekdays_only += dt.timedelta(days=1)
        while weekdays_only.weekday() >= 5:
            weekdays_only += dt.timedelta(days=1)
    assert PACKAGE_ONLY.add_workdays(received, 20) != weekdays_only


@pytest.mark.parametrize("n", [-30, -20, -7, -1, 1, 7, 15, 20, 40])
@pytest.mark.parametrize("start", ["2025-01-20", "2025-02-08", "2025-09-28", "2025-10-05", "2026-02-20"])
def test_workdays_between_counts_what_add_workdays_added(start, n):
    due = PACKAGE_ONLY.add_workdays(d(start), n)
    assert PACKAGE_ONLY.workdays_between(d(start), due) == n


def test_workdays_between():
    assert PACKAGE_ONLY.workdays_between(d("2025-09-30"), d("2025-10-09")) == 1
    assert PACKAGE_ONLY.workdays_between(d("2025-10-09"), d("2025-09-30")) == -1
    assert PACKAGE_ONLY.workdays_between(d("2025-10-01"), d("2025-10-08")) == 0
    assert PACKAGE_ONLY.workdays_between(d("2025-10-01"), d("2025-10-01")) == 0


def test_a_datetime_is_counted_as_its_date():
    assert PACKAGE_ONLY.add_workdays(dt.datetime(2025, 9, 26, 16, 30), 20) == d("2025-10-30")
    calendar = WorkdayCalendar(overrides={d("2025-10-09"): False})
    assert calendar.is_workday(dt.datetime(2025, 10, 9, 9, 0)) is False


# --- Years nobody knows --------------------------------------------------------------------------
def test_a_count_into_a_year_the_package_does_not_ship_refuses_to_guess():
    with pytest.raises(UnknownHolidayYear) as raised:
        PACKAGE_ONLY.add_workdays(d("2026-12-04"), 20)
    assert raised.value.year == 2027
    assert str(raised.value) == "2027 年的节假日安排未知：请在后台“节假日调整”中录入该年安排后重试"
    assert unknown_year_message(2031) == "2031 年的节假日安排未知：请在后台“节假日调整”中录入该年安排后重试"


def test_counting_backwards_into_an_unknown_year_refuses_too():
    with pytest.raises(UnknownHolidayYear) as raised:
        PACKAGE_ONLY.add_workdays(d("2004-01-05"), -5)
    assert raised.value.year == 2003


def test_a_year_declared_complete_counts_its_overrides_and_weekdays():
    calendar = WorkdayCalendar(overrides={d("2027-01-01"): False}, complete_years=frozenset({2027}))
    # Friday 2027-01-01 is a holiday; Monday 2027-01-04 and Tuesday 2027-01-05 count.
    assert calendar.add_workdays(d("2026-12-31"), 2) == d("2027-01-05")
    with pytest.raises(UnknownHolidayYear):
        calendar.add_workdays(d("2027-12-31"), 1)


def test_the_end_of_the_calendar_is_an_unknown_year_not_a_crash():
    with pytest.raises(UnknownHolidayYear):
        PACKAGE_ONLY.add_workdays(dt.date.max, 1)


def test_format_day():
    assert format_day(d("2026-10-15")) == "2026-10-15（星期四）"
    assert format_day(d("2025-10-12")) == "2025-10-12（星期日）"


# --- With the administrators' overrides (database) -----------------------------------------------
def year_with(year: int, complete: bool, *overrides: tuple[str, str]) -> HolidayYear:
    holiday_year = HolidayYear.objects.create(year=year, complete=complete)
    for day, kind in overrides:
        HolidayOverride.objects.create(holiday_year=holiday_year, date=d(day), kind=kind)
    return holiday_year


@pytest.mark.django_db
def test_overrides_win_over_the_package():
    assert is_workday(d("2025-10-09")) is True
    year_with(2025, False, ("2025-10-09", "holiday"), ("2025-10-12", "workday"))
    assert is_workday(d("2025-10-09")) is False
    assert is_workday(d("2025-10-12")) is True
    assert add_workdays(d("2025-10-08"), 1) == d("2025-10-10")
    assert add_workdays(d("2025-10-11"), 1) == d("2025-10-12")
    assert workdays_between(d("2025-10-08"), d("2025-10-12")) == 3


@pytest.mark.django_db
def test_an_unknown_year_becomes_known_only_when_declared_complete():
    year = year_with(2027, False, ("2027-01-01", "holiday"))
    with pytest.raises(UnknownHolidayYear):
        add_workdays(d("2026-12-31"), 2)
    year.complete = True
    year.save()
    assert add_workdays(d("2026-12-31"), 2) == d("2027-01-05")


@pytest.mark.django_db
def test_one_query_per_call_however_long_the_count(django_assert_num_queries):
    year_with(2025, False, ("2025-10-09", "holiday"))
    with django_assert_num_queries(1):
        add_workdays(d("2025-01-02"), 200)
    with django_assert_num_queries(1):
        workdays_between(d("2025-01-02"), d("2026-12-31"))
    with django_assert_num_queries(1):
        WorkdayCalendar.load()
