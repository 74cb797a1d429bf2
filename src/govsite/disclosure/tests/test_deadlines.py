"""Reply deadlines of cases across the 2024–2026 holidays, counted by hand from the State Council's notices.

The day of receipt (or of the supplement that restarts the clock) is not counted (期间开始之日不计算在内).
Days off on weekdays and working weekend days, from 国务院办公厅关于2024/2025/2026年部分节假日安排的通知
(checked equal to chinese_calendar 1.11's data for every day of 2024–2026, see test_calendar.py):

2024: 元旦 01-01; 春节 02-10…02-17, Sun 02-04 and Sun 02-18 working; 清明 04-04…04-06, Sun 04-07
  working; 劳动节 05-01…05-05, Sun 04-28 and Sat 05-11 working; 端午 06-08…06-10; 中秋 09-15…09-17,
  Sat 09-14 working; 国庆 10-01…10-07, Sun 09-29 and Sat 10-12 working.
2025: 元旦 01-01; 春节 01-28…02-04, Sun 01-26 and Sat 02-08 working; 清明 04-04…04-06; 劳动节
  05-01…05-05, Sun 04-27 working; 端午 05-31…06-02; 国庆中秋 10-01…10-08 (8 days), Sun 09-28 and
  Sat 10-11 working.
2026: 元旦 01-01…01-03, Sun 01-04 working; 春节 02-15…02-23, Sat 02-14 and Sat 02-28 working; 清明
  04-04…04-06; 劳动节 05-01…05-05, Sat 05-09 working; 端午 06-19…06-21; 中秋 09-25…09-27; 国庆
  10-01…10-07, Sun 09-20 and Sat 10-10 working.

Each row goes through the case workflow (services.* and deadlines.current_deadline), not the clock alone.
"""

import datetime as dt

import pytest

from govsite.disclosure import services
from govsite.disclosure.deadlines import (
    CONSULTATION_WORKDAYS,
    SUPPLEMENT_NOTICE_WORKDAYS,
    Deadline,
    current_deadline,
    merged_pauses,
    reply_due,
)
from govsite.disclosure.models import DisclosureRequest, Status
from govsite.workdays.calendar import UnknownHolidayYear, WorkdayCalendar

from .helpers import new_case

CALENDAR = WorkdayCalendar()  # the package's holidays only: the database's overrides play no part


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# (received, steps, expected last day to reply, why). Steps: ("supplement", notice, supplement arrived),
# ("consult", asked, opinion arrived), ("extend", working days, decided on).
CASE_TABLE = [
    # --- 2024 ---
    ("2024-01-02", [], "2024-01-30", "after 元旦 2024: four plain weeks"),
    ("2024-01-26", [], "2024-02-28", "春节 2024: Sun 02-04 is the 6th day, 02-10…17 off, Sun 02-18 the 15th"),
    (
        "2024-02-08",
        [],
        "2024-03-13",
        "the last Thursday before 春节 2024; Fri 02-09 (除夕 eve) is a working day",
    ),
    ("2024-02-18", [], "2024-03-15", "received on the working Sunday after 春节: counted from Monday"),
    ("2024-03-25", [], "2024-04-23", "清明 2024: 04-04…06 off, Sun 04-07 working"),
    (
        "2024-04-26",
        [],
        "2024-05-27",
        "劳动节 2024: Sun 04-28 (1st) and Sat 05-11 (9th) working, 05-01…05 off",
    ),
    ("2024-05-30", [], "2024-06-28", "端午 2024: Mon 06-10 off"),
    ("2024-06-08", [], "2024-07-08", "received on a Saturday of 端午 2024: the first day counted is 06-11"),
    ("2024-09-02", [], "2024-09-30", "中秋 2024: Sat 09-14 working, 09-16/17 off; Sun 09-29 the 20th"),
    ("2024-09-20", [], "2024-10-23", "国庆 2024: Sun 09-29 and Sat 10-12 working, 10-01…07 off"),
    ("2024-10-01", [], "2024-11-01", "received on 国庆 2024: first counted day Tue 10-08"),
    ("2024-10-12", [], "2024-11-08", "received on the working Saturday 10-12: counted from Monday 10-14"),
    ("2024-12-20", [], "2025-01-20", "year end 2024: 元旦 2025 (Wed 01-01) off"),
    # --- 2025 ---
    ("2025-01-02", [], "2025-02-06", "春节 2025 after 元旦: Sun 01-26 working, 01-28…02-04 off"),
    ("2025-01-20", [], "2025-02-21", "春节 2025 with Sun 01-26 and Sat 02-08 working"),
    ("2025-01-27", [], "2025-03-03", "last working day before 春节 2025"),
    ("2025-02-08", [], "2025-03-07", "received on the working Saturday 02-08"),
    ("2025-03-08", [], "2025-04-07", "a weekend receipt; 清明 2025: Fri 04-04 off"),
    ("2025-03-25", [], "2025-04-23", "清明 2025: Fri 04-04 off, no working weekend"),
    ("2025-04-21", [], "2025-05-21", "劳动节 2025: Sun 04-27 working, 05-01…05 off"),
    ("2025-05-26", [], "2025-06-24", "端午 2025: Mon 06-02 off"),
    (
        "2025-09-26",
        [],
        "2025-10-30",
        "国庆中秋 2025 (8 days): Sun 09-28 and Sat 10-11 count, 10-01…08 do not",
    ),
    ("2025-09-30", [], "2025-11-04", "the eve of the 8-day holiday: first counted day 10-09"),
    ("2025-10-03", [], "2025-11-04", "received on a holiday: counted from the next working day all the same"),
    ("2025-10-11", [], "2025-11-07", "received on the working Saturday 10-11: counted from Monday"),
    ("2025-12-15", [], "2026-01-13", "year end 2025: 元旦 2026 01-01…03 off, Sun 01-04 working"),
    ("2025-12-31", [], "2026-01-29", "received on the last day of 2025"),
    # --- 2026 ---
    ("2026-01-04", [], "2026-01-30", "received on the working Sunday 01-04: counted from Monday"),
    ("2026-02-09", [], "2026-03-13", "春节 2026: Sats 02-14 and 02-28 working, 02-15…23 off"),
    ("2026-02-14", [], "2026-03-20", "received on the working Saturday 02-14, the eve of 春节 2026"),
    ("2026-03-30", [], "2026-04-28", "清明 2026: Mon 04-06 off"),
    ("2026-04-24", [], "2026-05-26", "劳动节 2026: 05-01…05 off, Sat 05-09 working"),
    ("2026-06-08", [], "2026-07-07", "端午 2026: Fri 06-19 off"),
    (
        "2026-09-14",
        [],
        "2026-10-16",
        "中秋 2026 (Fri 09-25 off), Sun 09-20 working, 国庆 10-01…07, Sat 10-10",
    ),
    ("2026-09-28", [], "2026-10-30", "国庆 2026 with Sat 10-10 working"),
    ("2026-11-27", [], "2026-12-25", "the last weeks of 2026: no holiday"),
    # --- 补正: the 20 days start again from the day the supplement arrives (Art. 30) ---
    (
        "2024-02-05",
        [("supplement", "2024-02-20", "2024-03-01")],
        "2024-03-29",
        "notice on the 7th working day across 春节 2024 (02-20), supplement 03-01, 20 days from then",
    ),
    (
        "2025-09-22",
        [("supplement", "2025-09-29", "2025-10-09")],
        "2025-11-05",
        "supplement arrived 10-09, after 国庆 2025; Sat 10-11 counts",
    ),
    (
        "2026-04-27",
        [("supplement", "2026-04-30", "2026-05-09")],
        "2026-06-05",
        "supplement arrived on the working Saturday 05-09 after 劳动节 2026",
    ),
    # --- 征求第三方意见: working days in (asked, arrived] are not counted (Art. 33) ---
    (
        "2024-09-02",
        [("consult", "2024-09-09", "2024-09-20")],
        "2024-10-16",
        "8 working days consulting (Sat 09-14 is one, 09-16/17 are not) added to 2024-09-30",
    ),
    (
        "2024-04-22",
        [("consult", "2024-04-25", "2024-05-08")],
        "2024-05-30",
        "7 working days consulting across 劳动节 2024 (Sun 04-28 counts) added to 2024-05-21",
    ),
    (
        "2025-03-03",
        [("consult", "2025-03-10", "2025-03-21")],
        "2025-04-14",
        "9 working days consulting; 清明 2025 afterwards",
    ),
    (
        "2025-03-03",
        [("consult", "2025-03-05", "2025-04-30")],
        "2025-04-22",
        "an opinion 38 working days late: only the third party's 15 working days are not counted (Art. 32)",
    ),
    # --- 延期: at most 20 more working days (Art. 33) ---
    (
        "2024-09-20",
        [("extend", 20, "2024-10-23")],
        "2024-11-20",
        "延期 20 decided on the last day, 国庆 2024",
    ),
    (
        "2025-09-26",
        [("consult", "2025-09-30", "2025-10-10"), ("extend", 20, "2025-10-20")],
        "2025-12-01",
        "consulting over 国庆 2025 (2 working days: 10-09, 10-10), then 延期 20",
    ),
    ("2025-12-10", [("extend", 15, "2025-12-31")], "2026-01-29", "延期 15 across 元旦 2026"),
    (
        "2026-01-26",
        [("supplement", "2026-01-28", "2026-02-02"), ("extend", 10, "2026-03-02")],
        "2026-03-20",
        "补正 restart on 02-02, 春节 2026 in the 20 days (due 03-06), then 延期 10",
    ),
    (
        "2026-01-05",
        [
            ("supplement", "2026-01-09", "2026-01-20"),
            ("consult", "2026-02-02", "2026-02-13"),
            ("extend", 10, "2026-03-02"),
        ],
        "2026-03-20",
        "补正, 9 working days consulting and 延期 10: 39 working days from 01-20 across 春节 2026",
    ),
]


def deadline_of(case: DisclosureRequest, today: str) -> Deadline:
    deadline = current_deadline(case, CALENDAR, today=d(today))
    assert deadline is not None, "an open case always has a deadline"
    return deadline


def run_steps(case, steps):
    """Apply the table's steps through the workflow, as a handler would."""
    for kind, first, second in steps:
        if kind == "supplement":
            services.request_supplement(case, None, "请写明文件名称", d(first), CALENDAR)
            services.receive_supplement(case, None, d(second))
        elif kind == "consult":
            services.start_consultation(case, None, "某科技企业", d(first))
            services.end_consultation(case, None, d(second))
        else:
            services.extend(case, None, first, "办公室主任", "涉及多个处室", d(second), CALENDAR)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "received, steps, expected, why", CASE_TABLE, ids=[f"{r[0]} {r[3]}" for r in CASE_TABLE]
)
def test_reply_deadline_of_a_case(kjt_site, received, steps, expected, why):
    case, _ = new_case(kjt_site, received_on=received)
    run_steps(case, steps)
    deadline = deadline_of(case, received)
    assert case.status == Status.REGISTERED
    assert (deadline.label, deadline.due) == ("答复期限", d(expected))


def test_the_table_covers_three_years_and_thirty_receipts():
    assert len({row[0] for row in CASE_TABLE}) >= 30
    assert {row[0][:4] for row in CASE_TABLE} == {"2024", "2025", "2026"}


@pytest.mark.django_db
def test_supplement_notice_limit_is_7_working_days_across_spring_festival(kjt_site):
    # Received Friday 2025-01-24: Sun 01-26 (1), Mon 01-27 (2), 02-05 … 02-07 (3-5), Sat 02-08 (6), 02-10 (7).
    late, _ = new_case(kjt_site, received_on="2025-01-24")
    with pytest.raises(services.TransitionError, match="2025-02-10"):
        services.request_supplement(late, None, "请写明文号", d("2025-02-11"), CALENDAR)
    services.request_supplement(late, None, "请写明文号", d("2025-02-10"), CALENDAR)
    # The applicant then has 15 working days: 02-11 … 02-14, 02-17 … 02-21, 02-24 … 02-28, 03-03.
    assert late.supplement_due == d("2025-03-03")
    assert deadline_of(late, "2025-02-10").due == d("2025-03-03")


@pytest.mark.django_db
def test_an_extension_beyond_20_days_or_after_the_deadline_is_refused(kjt_site):
    case, _ = new_case(kjt_site, received_on="2024-09-20")  # due 2024-10-23
    with pytest.raises(services.TransitionError, match="1 至 20"):
        services.extend(case, None, 21, "办公室主任", "数量大", d("2024-10-08"), CALENDAR)
    with pytest.raises(services.TransitionError, match="2024-10-23"):
        services.extend(case, None, 5, "办公室主任", "数量大", d("2024-10-24"), CALENDAR)
    assert case.extension_days == 0


@pytest.mark.django_db
def test_an_open_consultation_stops_the_clock_for_15_working_days_at_most(kjt_site):
    case, _ = new_case(kjt_site, received_on="2025-03-03")  # due 2025-03-31 without consulting
    services.start_consultation(case, None, "某科技企业", d("2025-03-05"))
    # Opinion still awaited on 03-21 (12 working days): shown as if it came today, 03-31 + 12 working
    # days with 清明 (Fri 04-04) off.
    assert deadline_of(case, "2025-03-21").due == d("2025-04-17")
    # Awaited on 04-30: the 15 working days ended on 03-26; the reply is due 2025-04-22 and overdue.
    late = deadline_of(case, "2025-04-30")
    assert late.due == d("2025-04-22") and late.paused and late.overdue


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


def test_overlapping_consultations_are_not_counted_twice():
    pauses = [(d("2025-03-10"), d("2025-03-21")), (d("2025-03-14"), d("2025-03-21"))]
    assert reply_due(CALENDAR, d("2025-03-03"), 0, pauses, today=d("2025-04-01")) == d("2025-04-14")


def test_a_consultation_before_the_restart_is_not_counted_again():
    # Consulted before the supplement restarted the clock: only days after the restart are paused.
    assert merged_pauses([(d("2025-03-03"), d("2025-03-05"))], d("2025-03-10"), d("2025-04-01")) == []


def test_unknown_year_is_refused_not_guessed():
    with pytest.raises(UnknownHolidayYear) as error:
        reply_due(CALENDAR, d("2026-12-15"))
    assert error.value.year == 2027
