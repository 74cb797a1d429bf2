"""Reply deadlines per channel across holidays, and the reminders: once each, rising, to the right people.

Facts (docs/workdays.md): 国庆 2025 10-01 … 10-08 off, Sun 09-28 and Sat 10-11 working; 春节 2026 02-15 …
02-23 off, Sat 02-14 and Sat 02-28 working; 国庆 2026 10-01 … 10-07 off, Sat 10-10 working. The day of
receipt is not counted.
"""

import datetime as dt

import pytest
from django.core import mail

from govsite.interaction.deadlines import Deadline, current_deadline, reply_due
from govsite.interaction.models import Alert, ChannelKind, Message, default_workdays
from govsite.interaction.services import send_alerts
from govsite.workdays.calendar import WorkdayCalendar

from .helpers import handler, new_message

CALENDAR = WorkdayCalendar()


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.mark.parametrize(
    "kind, received, due, why",
    [
        (ChannelKind.CONSULT, "2026-09-28", "2026-10-10", "咨询 5: 09-29, 09-30, 10-08, 10-09, Sat 10-10"),
        (ChannelKind.CONSULT, "2026-02-13", "2026-02-27", "咨询 5: Sat 02-14, then 02-24 … 02-27 after 春节"),
        (
            ChannelKind.COMPLAINT,
            "2025-09-26",
            "2025-10-23",
            "投诉 15 across 国庆 2025 with two working weekend days",
        ),
        (ChannelKind.LEADER, "2026-03-02", "2026-03-23", "领导信箱 15, no holiday: three weeks"),
    ],
)
def test_reply_due_across_holidays(kind, received, due, why):
    assert reply_due(CALENDAR, d(received), default_workdays(kind)) == d(due), why


def test_default_periods():
    assert default_workdays(ChannelKind.CONSULT) == 5
    assert {
        default_workdays(k) for k in (ChannelKind.LEADER, ChannelKind.SUGGEST, ChannelKind.COMPLAINT)
    } == {15}


@pytest.mark.parametrize(
    "days_left, age, alert",
    [
        (5, 3, Alert.NONE),
        (2, 5, Alert.REMINDED),
        (0, 9, Alert.REMINDED),
        (-1, 10, Alert.ESCALATED),
        (-30, 60, Alert.VETO_WARNING),
        (3, 61, Alert.VETO_WARNING),
    ],
)
def test_alert_levels(days_left, age, alert):
    assert Deadline(dt.date(2026, 1, 1), days_left, age).alert == alert


@pytest.mark.django_db
def test_alerts_are_sent_once_per_level_to_handlers_then_admins(kjt_site, django_user_model):
    kjt_handler = handler(django_user_model, "kjt-ly-alert", "科学技术厅")
    django_user_model.objects.create_superuser("platform-ly", "platform@example.com", "x")
    message, _ = new_message(kjt_site, kind=ChannelKind.CONSULT)
    Message.objects.filter(pk=message.pk).update(received_on=d("2026-09-28"))
    others = Message.objects.exclude(pk=message.pk).filter(status__in=["received", "accepted", "review"])
    others.update(alert=Alert.VETO_WARNING)  # the demo's messages are not this test's business

    assert send_alerts(d("2026-10-09"), CALENDAR) == {Alert.REMINDED: 1}
    assert kjt_handler.email in mail.outbox[-1].to and "即将到期" in mail.outbox[-1].subject
    assert "platform@example.com" not in mail.outbox[-1].to
    assert send_alerts(d("2026-10-09"), CALENDAR) == {}  # once
    assert send_alerts(d("2026-10-12"), CALENDAR) == {Alert.ESCALATED: 1}
    assert "已超期" in mail.outbox[-1].subject
    assert send_alerts(d("2026-11-27"), CALENDAR) == {Alert.VETO_WARNING: 1}
    assert "platform@example.com" in mail.outbox[-1].to and "60 天" in mail.outbox[-1].subject
    message.refresh_from_db()
    deadline = current_deadline(message, CALENDAR, d("2026-11-27"))
    assert deadline is not None and deadline.veto_risk


@pytest.mark.django_db
def test_the_platform_clock_queues_the_alerts_daily(kjt_site, django_user_model, monkeypatch):
    import time

    from django.utils import timezone

    from govsite.core.background import queue_clock_tasks

    kjt_handler = handler(django_user_model, "kjt-ly-clock", "科学技术厅")
    message, _ = new_message(kjt_site, kind=ChannelKind.CONSULT)
    Message.objects.filter(pk=message.pk).update(received_on=d("2026-09-28"))
    Message.objects.exclude(pk=message.pk).update(alert=Alert.VETO_WARNING)  # only this message is due
    monkeypatch.setattr(timezone, "localdate", lambda *args: d("2026-10-09"))
    later = time.monotonic() + 10 * 86400  # whenever the clock last queued it, a day has passed
    queue_clock_tasks(now=later)
    assert Message.objects.get(pk=message.pk).alert == Alert.REMINDED
    assert kjt_handler.email in mail.outbox[-1].to
    monkeypatch.setattr(timezone, "localdate", lambda *args: d("2026-10-12"))
    queue_clock_tasks(now=later + 3600)  # an hour later: not queued again yet
    assert Message.objects.get(pk=message.pk).alert == Alert.REMINDED
    queue_clock_tasks(now=later + 86400)
    assert Message.objects.get(pk=message.pk).alert == Alert.ESCALATED
