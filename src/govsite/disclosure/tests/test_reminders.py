"""Reminders to handlers (站内信) for due-soon and overdue cases: once per case and deadline, per site."""

import datetime as dt
import time

import django.utils.timezone
import pytest

from govsite.core.background import queue_clock_tasks
from govsite.disclosure import services
from govsite.disclosure.tasks import deadline_reminders_task
from govsite.editorial.models import Notification
from govsite.workdays.calendar import WorkdayCalendar

from .helpers import new_case

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 14)


@pytest.fixture
def on_today(monkeypatch):
    monkeypatch.setattr(django.utils.timezone, "localdate", lambda *a: TODAY)


def messages_about(case, user=None):
    found = Notification.objects.filter(
        kind=Notification.Kind.DISCLOSURE, link=f"/admin/disclosure/{case.pk}/"
    )
    return found.filter(recipient=user) if user else found


def test_handlers_are_reminded_once_of_due_soon_and_overdue_cases(
    on_today, kjt_site, jyt_site, kjt_handler, jyt_handler
):
    due = new_case(kjt_site, received_on="2026-11-20")[0]  # due 2026-12-18: 4 working days left
    overdue = new_case(kjt_site, received_on="2026-11-02")[0]  # due 2026-11-30
    calm = new_case(kjt_site, received_on="2026-12-01")[0]  # due 2026-12-29
    foreign = new_case(jyt_site, received_on="2026-11-20")[0]
    deadline_reminders_task.enqueue()
    [soon] = messages_about(due, kjt_handler)
    assert due.number in soon.text and "科学技术厅" in soon.text
    assert "2026-12-18" in soon.text and "剩余 4 个工作日" in soon.text
    assert soon.link == f"/admin/disclosure/{due.pk}/"
    [late] = messages_about(overdue, kjt_handler)
    assert "已超期 10 个工作日" in late.text
    assert not messages_about(calm).exists()
    foreign_recipients = set(messages_about(foreign).values_list("recipient", flat=True))
    assert jyt_handler.pk in foreign_recipients and kjt_handler.pk not in foreign_recipients
    assert not messages_about(due, jyt_handler).exists()
    assert "张三丰" not in soon.text and "13812345678" not in soon.text  # no personal data
    count = Notification.objects.count()
    deadline_reminders_task.enqueue()  # the next day's run, or a second worker: nothing again
    assert Notification.objects.count() == count


def test_a_moved_deadline_is_reminded_again_and_overdue_after_due_soon(monkeypatch, kjt_site, kjt_handler):
    case = new_case(kjt_site, received_on="2026-11-20")[0]  # due 2026-12-18
    for today in ("2026-12-14", "2026-12-15"):
        monkeypatch.setattr(
            django.utils.timezone, "localdate", lambda *a, day=today: dt.date.fromisoformat(day)
        )
        deadline_reminders_task.enqueue()
    assert messages_about(case, kjt_handler).count() == 1
    services.extend(case, kjt_handler, 20, "办公室主任", "数量大", dt.date(2026, 12, 15), WorkdayCalendar())
    monkeypatch.setattr(django.utils.timezone, "localdate", lambda *a: dt.date(2027, 1, 5))
    # 2027 is unknown to the package: no date to remind of (the due list shows the notice instead).
    deadline_reminders_task.enqueue()
    assert messages_about(case, kjt_handler).count() == 1
    monkeypatch.setattr(django.utils.timezone, "localdate", lambda *a: dt.date(2026, 12, 21))
    case.received_on = dt.date(2026, 10, 20)  # now due 2026-12-15: overdue on 12-21
    case.save()
    deadline_reminders_task.enqueue()
    texts = list(messages_about(case, kjt_handler).values_list("text", flat=True))
    assert len(texts) == 2 and "已超期" in texts[0]


def test_the_platform_clock_queues_the_reminders_daily(on_today, kjt_site, kjt_handler):
    case = new_case(kjt_site, received_on="2026-11-20")[0]
    later = time.monotonic() + 10 * 86400  # whenever the clock last queued it, a day has passed
    queue_clock_tasks(now=later)
    assert messages_about(case, kjt_handler).count() == 1
    Notification.objects.filter(kind=Notification.Kind.DISCLOSURE).delete()
    case.reminders.all().delete()
    queue_clock_tasks(now=later + 3600)  # an hour later: not yet queued again
    assert not messages_about(case, kjt_handler).exists()
    queue_clock_tasks(now=later + 86400)
    assert messages_about(case, kjt_handler).count() == 1


def test_reminders_show_in_the_message_list_with_their_link(client, on_today, kjt_site, kjt_handler):
    case = new_case(kjt_site, received_on="2026-11-20")[0]
    deadline_reminders_task.enqueue()
    client.force_login(kjt_handler)
    html = client.get("/admin/editorial/messages/").content.decode()
    assert f'href="/admin/disclosure/{case.pk}/"' in html and "依申请公开" in html
