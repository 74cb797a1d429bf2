"""The statutory deadlines of a case, counted by the legal working-day clock (govsite.workdays).

条例 Art. 30: a 补正告知 goes out once, within 7 working days of receipt; the reply period restarts
from the day the supplement arrives. Art. 32: a consulted third party has 15 working days; Art. 33:
the reply is due 20 working days after receipt, an approved extension adds at most 20, and the time
spent consulting does not count. The day a period starts on never counts (the clock's rule).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from govsite.workdays.calendar import UnknownHolidayYear, WorkdayCalendar

from .models import DisclosureRequest, Status

REPLY_WORKDAYS = 20
MAX_EXTENSION_WORKDAYS = 20
SUPPLEMENT_NOTICE_WORKDAYS = 7
# The applicant's time to supplement is the body's to set; 15 working days is the common practice.
SUPPLEMENT_ANSWER_WORKDAYS = 15
CONSULTATION_WORKDAYS = 15
DUE_SOON_WORKDAYS = 5

Pause = tuple[dt.date, dt.date | None]


def merged_pauses(
    pauses: Iterable[Pause], clock_start: dt.date, today: dt.date
) -> list[tuple[dt.date, dt.date]]:
    """Consultation periods (start, end] clipped to after `clock_start`, merged where they overlap.

    A consultation still open runs to `today`: the reply date shown is the one if the opinion came today.
    """
    spans = sorted((max(start, clock_start), max(end or today, start)) for start, end in pauses)
    merged: list[tuple[dt.date, dt.date]] = []
    for start, end in spans:
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def consultation_end(
    calendar: WorkdayCalendar, start: dt.date, end: dt.date | None, today: dt.date
) -> dt.date:
    """The last day a consultation stops the clock: the opinion's arrival (or today while it is awaited),
    but at most the third party's 15 working days (Art. 32): an opinion that comes later, or never,
    does not hold the reply back; the office decides without it."""
    return min(end or today, calendar.add_workdays(start, CONSULTATION_WORKDAYS))


def reply_due(
    calendar: WorkdayCalendar,
    clock_start: dt.date,
    extension_days: int = 0,
    pauses: Iterable[Pause] = (),
    today: dt.date | None = None,
) -> dt.date:
    """The last day to reply: 20 (+ extension) working days after `clock_start`, plus the working days
    spent consulting third parties. Raises UnknownHolidayYear rather than guess."""
    today = today or dt.date.today()
    capped = [(start, consultation_end(calendar, start, end, today)) for start, end in pauses]
    paused = sum(calendar.workdays_between(a, b) for a, b in merged_pauses(capped, clock_start, today))
    return calendar.add_workdays(clock_start, REPLY_WORKDAYS + extension_days + paused)


@dataclass(frozen=True)
class Deadline:
    """The deadline that matters now for a case, with working days left (negative when overdue)."""

    label: str
    due: dt.date | None = None
    days_left: int | None = None
    unknown_year: int | None = None
    paused: bool = False

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def due_soon(self) -> bool:
        return self.days_left is not None and 0 <= self.days_left <= DUE_SOON_WORKDAYS


def _deadline(
    calendar: WorkdayCalendar, label: str, due: dt.date, today: dt.date, *, paused: bool = False
) -> Deadline:
    return Deadline(label, due, calendar.workdays_between(today, due), paused=paused)


def current_deadline(
    case: DisclosureRequest, calendar: WorkdayCalendar, today: dt.date | None = None
) -> Deadline | None:
    """What the handler must meet next for `case`, None when it is closed."""
    today = today or dt.date.today()
    try:
        if case.status == Status.SUPPLEMENT and case.supplement_due:
            return _deadline(calendar, "申请人补正期限", case.supplement_due, today)
        if case.status in (Status.REGISTERED, Status.CONSULTING):
            pauses = [(c.started_on, c.ended_on) for c in case.consultations.all()]
            due = reply_due(calendar, case.clock_start, case.extension_days, pauses, today)
            return _deadline(calendar, "答复期限", due, today, paused=case.status == Status.CONSULTING)
    except UnknownHolidayYear as error:
        return Deadline("答复期限", unknown_year=error.year)
    return None
