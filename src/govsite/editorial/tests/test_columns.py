"""Prevention at the source: a warning when an action empties a column that must update, and one
站内信 to the site's editors a few days before a column goes stale (once per deadline)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from govsite.content.models import ArticlePage, ColumnPage
from govsite.editorial.columns import send_stale_column_reminders
from govsite.editorial.models import ColumnReminder, Notification
from govsite.editorial.tasks import stale_column_reminders_task
from govsite.testing import demo_user

pytestmark = pytest.mark.django_db

WARNING = "将没有任何可显示的信息"
DONE = "已没有可显示的信息"


def new_column(site, column_type: str = "工作动态", update_days: int | None = None) -> ColumnPage:
    column = ColumnPage(
        title=f"测试栏目{uuid.uuid4().hex[:4]}",
        slug=f"c-{uuid.uuid4().hex[:8]}",
        column_type=column_type,
        description="测试",
        keywords="测试",
        update_days=update_days,
    )
    site.root_page.add_child(instance=column)
    return column


def article(column: ColumnPage, days_ago: float = 1) -> ArticlePage:
    page = ArticlePage(
        title=f"测试稿件{uuid.uuid4().hex[:4]}",
        slug=f"t-{uuid.uuid4().hex[:8]}",
        body="<p>正文。</p>",
        source="本厅",
        pub_date=timezone.now() - dt.timedelta(days=days_ago),
    )
    column.add_child(instance=page)
    return page


def test_deleting_moving_or_withdrawing_the_last_item_warns(client, kjt_site):
    column, other = new_column(kjt_site), new_column(kjt_site)
    last = article(column)
    client.force_login(demo_user("platform-admin"))
    deleting = client.get(reverse("wagtailadmin_pages:delete", args=[last.pk])).content.decode()
    assert WARNING in deleting and f"“{column.title}”" in deleting
    moving = client.get(reverse("wagtailadmin_pages:move_confirm", args=[last.pk, other.pk])).content.decode()
    assert WARNING in moving
    withdrawing = client.get(reverse("govsite_content:withdraw", args=[last.pk])).content.decode()
    assert WARNING in withdrawing
    unpublished = client.post(reverse("wagtailadmin_pages:unpublish", args=[last.pk]), follow=True)
    assert DONE in unpublished.content.decode()


def test_no_warning_when_the_column_keeps_items_or_need_not_update(client, kjt_site):
    busy, static = new_column(kjt_site), new_column(kjt_site, update_days=0)
    article(busy)
    kept, only = article(busy), article(static)
    client.force_login(demo_user("platform-admin"))
    assert WARNING not in client.get(reverse("wagtailadmin_pages:delete", args=[kept.pk])).content.decode()
    assert WARNING not in client.get(reverse("wagtailadmin_pages:delete", args=[only.pk])).content.decode()
    sub = ColumnPage(
        title="子栏目",
        slug=f"s-{uuid.uuid4().hex[:6]}",
        column_type="工作动态",
        description="-",
        keywords="-",
    )
    lonely = new_column(kjt_site)
    lonely.add_child(instance=sub)
    inside = article(lonely)
    moved_within = reverse("wagtailadmin_pages:move_confirm", args=[inside.pk, sub.pk])
    assert WARNING not in client.get(moved_within).content.decode()  # the column keeps it


def reminders_for(column: ColumnPage) -> list[Notification]:
    return list(Notification.objects.filter(kind=Notification.Kind.STALE, page_id=column.pk))


def test_editors_reminded_once_three_days_before_a_column_goes_stale(kjt_site):
    column = new_column(kjt_site)  # 工作动态: 14 days
    article(column, days_ago=11)
    today = timezone.localdate()
    send_stale_column_reminders(today - dt.timedelta(days=1))  # 4 days before: too early
    assert reminders_for(column) == []
    send_stale_column_reminders(today)
    sent = reminders_for(column)
    recipients = {n.recipient.username for n in sent}
    assert {"kjt-editor", "kjt-siteadmin"} <= recipients
    assert not {"jyt-editor", "jyt-siteadmin", "platform-admin"} & recipients
    deadline = today + dt.timedelta(days=3)
    assert f"{deadline:%Y-%m-%d} 前（还剩 3 天）" in sent[0].text and column.title in sent[0].text
    assert sent[0].link == reverse("wagtailadmin_explore", args=[column.pk])
    send_stale_column_reminders(today)
    send_stale_column_reminders(today + dt.timedelta(days=1))
    assert len(reminders_for(column)) == len(sent)  # once per column and deadline
    assert ColumnReminder.objects.filter(column=column).count() == 1
    # A new item moves the deadline: reminded again when the new one nears, not before.
    article(column, days_ago=0)
    send_stale_column_reminders(today + dt.timedelta(days=2))
    assert len(reminders_for(column)) == len(sent)
    send_stale_column_reminders(today + dt.timedelta(days=11))
    assert len(reminders_for(column)) == 2 * len(sent)


def test_static_stale_and_empty_columns_are_not_reminded(kjt_site, settings):
    static, empty = new_column(kjt_site, "概况信息"), new_column(kjt_site)
    article(static, days_ago=11)
    stale = new_column(kjt_site)
    article(stale, days_ago=20)
    send_stale_column_reminders()
    assert reminders_for(static) == reminders_for(empty) == reminders_for(stale) == []
    settings.STALE_COLUMN_REMINDER_DAYS = 7
    notices = new_column(kjt_site, "通知公告")  # 183 days
    article(notices, days_ago=177)
    stale_column_reminders_task.enqueue()  # what the platform clock queues daily
    assert reminders_for(notices)
