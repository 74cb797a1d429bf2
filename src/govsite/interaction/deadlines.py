"""The reply deadline of a message and how loudly it is due, on the legal working-day clock.

The period is the channel's (5 working days for 咨询, 15 for the others), counted from the day the message
was received (that day does not count); a 转办 does not restart it: the writer waits for one answer. Before
the deadline the handlers are reminded, once it has passed the site's administrators are told (督办),
and at 60 calendar days, a month before the State Council checklist's veto of a valid message unanswered
for more than three months, everyone responsible gets a hard alert.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from govsite.workdays.calendar import UnknownHolidayYear, WorkdayCalendar

from .models import Alert, Message

REMIND_WORKDAYS = 2  # reminder when this many working days or fewer are left
VETO_WARNING_DAYS = 60  # calendar days after receipt: the hard alert
VETO_DAYS = 90  # about three months: 单项否决 (§1.3 G13)


@dataclass(frozen=True)
class Deadline:
    """The reply deadline of an open message; `days_left` is negative when it is overdue."""

    due: dt.date | None
    days_left: int | None
    age_days: int
    unknown_year: int | None = None

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def due_soon(self) -> bool:
        return self.days_left is not None and 0 <= self.days_left <= REMIND_WORKDAYS

    @property
    def veto_risk(self) -> bool:
        return self.age_days >= VETO_WARNING_DAYS

    @property
    def alert(self) -> Alert:
        """The reminder this deadline calls for now."""
        if self.veto_risk:
            return Alert.VETO_WARNING
        if self.overdue:
            return Alert.ESCALATED
        if self.due_soon or self.unknown_year is not None:
            return Alert.REMINDED
        return Alert.NONE


def reply_due(calendar: WorkdayCalendar, received_on: dt.date, workdays: int) -> dt.date:
    """The last day to answer (raises UnknownHolidayYear rather than guess)."""
    return calendar.add_workdays(received_on, workdays)


def current_deadline(message: Message, calendar: WorkdayCalendar, today: dt.date) -> Deadline | None:
    """The deadline of an open message (None once it is answered, refused or closed)."""
    if not message.is_open:
        return None
    age = (today - message.received_on).days
    try:
        due = reply_due(calendar, message.received_on, message.channel.reply_workdays)
        return Deadline(due, calendar.workdays_between(today, due), age)
    except UnknownHolidayYear as error:
        return Deadline(None, None, age, unknown_year=error.year)


def on_time(message: Message, calendar: WorkdayCalendar) -> bool | None:
    """Whether the reply came by the deadline (None: not answered, or the clock cannot tell)."""
    if message.replied_on is None:
        return None
    try:
        return message.replied_on <= reply_due(calendar, message.received_on, message.channel.reply_workdays)
    except UnknownHolidayYear:
        return None
