"""Reply deadlines across the 2025–2026 holidays, counted by hand from the State Council's notices.

Facts (docs/workdays.md): 春节 2025 01-28 … 02-04 off, Sun 01-26 and Sat 02-08 working; 清明 2025
04-04 … 04-06; 国庆 2025 10-01 … 10-08 off, Sun 09-28 and Sat 10-11 working; 元旦 2026 01-01 … 01-03
off, Sun 01-04 working; 春节 2026 02-15 … 02-23 off, Sat 02-14 and Sat 02-28 working; 国庆 2026
10-01 … 10-07 off, Sat 10-10 working. The day of receipt is not counted.
"""

import datetime as dt

import pytest

from govsite.disclosure.deadlines import (
    CONSULTATION_WORKDAYS,
    SUPPLEMENT_NOTICE_WORKDAYS,
    merged_pauses,
    reply_due,
)
from govsite.workdays.calendar import UnknownHolidayYear, WorkdayCalendar

CALENDAR = WorkdayCalendar()  # the package's holidays only: no database needed


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# (receipt or clock restart, extension, consultations, expected last day to reply, why)
REPLY_TABLE = [
    ("2025-03-03", 0, [], "2025-03-31", "no holiday: four weeks"),
    ("2025-09-26", 0, [], "2025-10-30", "国庆 2025: Sun 09-28 and Sat 10-11 count, 10-01…10-08 do not"),
    ("2025-10-03", 0, [], "2025-11-04", "received on a holiday: counted from the next day all the same"),
    ("2025-01-20", 0, [], "2025-02-21", "春节 2025 with Sun 01-26 and Sat 02-08 working"),
    ("2025-01-27", 0, [], "2025-03-03", "last working day before 春节 2025"),
    ("2025-12-15", 0, [], "2026-01-13", "year end: 元旦 2026 off, Sun 01-04 working"),
    ("2026-02-09", 0, [], "2026-03-13", "春节 2026 with Sats 02-14 and 02-28 working"),
    ("2026-09-28", 0, [], "2026-10-30", "国庆 2026 with Sat 10-10 working"),
    ("2025-10-09", 0, [], "2025-11-05", "补正 restart: supplement of a 2025-09-22 request arrived 10-09"),
    ("2025-09-26", 20, [], "2025-11-27", "延期 by the maximum 20 working days"),
    ("2026-02-02", 10, [], "2026-03-20", "补正 restart in 春节 2026, then 延期 10"),
    ("2025-03-03", 0, [("2025-03-10", "2025-03-21")], "2025-04-14", "9 working days consulting; 清明 after"),
    (
        "2025-03-03",
        0,
        [("2025-03-10", "2025-03-21"), ("2025-03-14", "2025-03-21")],
        "2025-04-14",
        "two parties consulted at once: the overlap is not counted twice",
    ),
    (
        "2025-09-26",
        20,
        [("2025-09-30", "2025-10-10")],
        "2025-12-01",
        "consulting over 国庆 2025 (2 working days), then 延期",
    ),
]


@pytest.mark.parametrize(
    "start, extension, consultations, expected, why", REPLY_TABLE, ids=[r[4] for r in REPLY_TABLE]
)
def test_reply_deadline_table(start, extension, consultations, expected, why):
    pauses = [(d(a), d(b)) for a, b in consultations]
    assert reply_due(CALENDAR, d(start), extension, pauses, today=d("2026-11-01")) == d(expected)


def test_supplement_notice_window_crosses_spring_festival():
    # Received Friday 2025-01-24: Sun 01-26, Mon 01-27, then 02-05 … 02-08 (Sat), 02-10.
    assert CALENDAR.add_workdays(d("2025-01-24"), SUPPLEMENT_NOTICE_WORKDAYS) == d("2025-02-10")
    # Received Monday 2025-09-22: the working Sunday 09-28 is the 5th day, 09-30 the 7th.
    assert CALENDAR.add_workdays(d("2025-09-22"), SUPPLEMENT_NOTICE_WORKDAYS) == d("2025-09-30")


def test_third_party_has_15_working_days_across_national_day():
    assert CALENDAR.add_workdays(d("2025-09-30"), CONSULTATION_WORKDAYS) == d("2025-10-28")


def test_third_party_time_is_not_counted():
    without = reply_due(CALENDAR, d("2025-03-03"))
    with_consultation = reply_due(CALENDAR, d("2025-03-03"), pauses=[(d("2025-03-10"), d("2025-03-21"))])
    assert CALENDAR.workdays_between(without, with_consultation) == 9


def test_an_open_consultation_runs_to_today():
    pauses = [(d("2025-03-10"), None)]
    assert merged_pauses(pauses, d("2025-03-03"), today=d("2025-03-21")) == [
        (d("2025-03-10"), d("2025-03-21"))
    ]
    assert reply_due(CALENDAR, d("2025-03-03"), 0, pauses, today=d("2025-03-21")) == d("2025-04-14")


def test_a_consultation_before_the_restart_is_not_counted_again():
    # Consulted before the supplement restarted the clock: only days after the restart are paused.
    assert merged_pauses([(d("2025-03-03"), d("2025-03-05"))], d("2025-03-10"), d("2025-04-01")) == []


def test_unknown_year_is_refused_not_guessed():
    with pytest.raises(UnknownHolidayYear) as error:
        reply_due(CALENDAR, d("2026-12-15"))
    assert error.value.year == 2027
