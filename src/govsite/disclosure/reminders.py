"""Reminders to handlers: each open case due within 5 working days, or overdue, once per deadline.

Run daily by `tasks.deadline_reminders_task` (queued by `govsite scheduler`). Each reminder is a
`DeadlineReminder` row, unique per case, kind and due date, created before the signal is sent: a
re-run (or two workers at once) never reminds twice. The message itself is editorial's 站内信
(editorial/signal_handlers.py), through the `deadline_reminder` signal: disclosure sits below editorial.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from govsite.workdays.calendar import WorkdayCalendar

from .access import site_handler_ids
from .deadlines import current_deadline
from .models import DeadlineReminder, DisclosureRequest, ReminderKind, Status
from .signals import deadline_reminder

OPEN_STATES = [Status.REGISTERED, Status.SUPPLEMENT, Status.CONSULTING]


def send_deadline_reminders(today: dt.date | None = None) -> int:
    """Remind the handlers of every case that needs it today and was not reminded yet; how many cases."""
    today = today or timezone.localdate()
    calendar = WorkdayCalendar.load()
    cases = (
        DisclosureRequest.objects.filter(status__in=OPEN_STATES)
        .select_related("site")
        .prefetch_related("consultations")
    )
    handlers: dict[int, list[int]] = {}
    sent = 0
    for case in cases:
        deadline = current_deadline(case, calendar, today)
        if deadline is None or deadline.due is None:
            continue  # closed, or the deadline is in an unknown year (the due list shows it)
        kind = (
            ReminderKind.OVERDUE if deadline.overdue else ReminderKind.DUE_SOON if deadline.due_soon else None
        )
        if kind is None:
            continue
        try:
            with transaction.atomic():
                _, created = DeadlineReminder.objects.get_or_create(case=case, kind=kind, due=deadline.due)
        except IntegrityError:  # another run made it at the same moment: it sends the message
            continue
        if not created:
            continue
        if case.site_id not in handlers:
            handlers[case.site_id] = site_handler_ids(case.site)
        deadline_reminder.send(
            sender=DisclosureRequest,
            case=case,
            kind=kind,
            deadline=deadline,
            recipients=handlers[case.site_id],
        )
        sent += 1
    return sent
