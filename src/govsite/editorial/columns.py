"""Prevention at the source: the columns that must update (content.freshness) are guarded where an
editor's action takes their last item away, and their editors are reminded before they go stale.

- `columns_left_empty` is asked by the admin hooks of 撤稿, 取消发布, 移动 and 删除 (wagtail_hooks.py): on
  the confirmation screen the editor reads which column would be left empty (a warning, not a block:
  a column may legitimately be emptied and refilled), and again after the action.
- `send_stale_column_reminders` runs daily (tasks.py, on the platform clock): a 站内信 to the site's
  editors `STALE_COLUMN_REMINDER_DAYS` days before the column's period runs out, once per column and
  deadline (a `ColumnReminder` row made before the messages, so a re-run or a second worker sends
  nothing twice). A column already stale is not reminded: the 网站体检 reports it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page, Site

from govsite.content.freshness import update_period
from govsite.content.models import ColumnPage
from govsite.content.visibility import listed

from .models import ColumnReminder, Notification

DEFAULT_REMINDER_DAYS = 3


def reminder_days() -> int:
    """How many days before a column's deadline its editors are reminded (setting, default 3)."""
    return int(getattr(settings, "STALE_COLUMN_REMINDER_DAYS", DEFAULT_REMINDER_DAYS))


def columns_left_empty(page: Page, destination: Page | None = None) -> list[ColumnPage]:
    """The columns that must update and whose listed items all lie in `page`'s subtree: taking it away
    (or moving it to `destination`, outside them) leaves them with nothing to show."""
    if page.depth <= 2:
        return []
    kept_by = destination.path if destination is not None else None
    emptied = []
    for column in ColumnPage.objects.ancestor_of(page).order_by("depth"):
        if kept_by is not None and kept_by.startswith(column.path):
            continue  # moved within the column: it keeps the item
        if update_period(column) is None:
            continue
        articles = column.articles()
        if (
            articles.filter(path__startswith=page.path).exists()
            and not articles.exclude(path__startswith=page.path).exists()
        ):
            emptied.append(column)
    return emptied


def empty_column_warning(columns: list[ColumnPage], done: bool) -> str:
    names = "、".join(f"“{column.title}”" for column in columns)
    if done:
        return f"栏目{names}已没有可显示的信息，请尽快补充，否则网站体检将判为空栏目或超期未更新。"
    return f"注意：此操作后栏目{names}将没有任何可显示的信息，网站体检将判为空栏目或超期未更新。"


def _last_published(column: ColumnPage) -> dt.date | None:
    """The 发布日期 of the column's newest listed item (read the cheaper way for a large column)."""
    newest = column.newest_articles(1)
    return timezone.localtime(newest[0].pub_date).date() if newest and newest[0].pub_date else None


def column_editor_ids(column: Page) -> list[int]:
    """The active users whose groups hold page permissions on the column or above it in its site:
    those who can add its next item (editors, 终审, the site's administrators)."""
    ancestors = [column.path[:end] for end in range(Page.steplen, len(column.path) + 1, Page.steplen)]
    groups = GroupPagePermission.objects.filter(page__path__in=ancestors[1:]).values("group_id")
    users = get_user_model().objects.filter(is_active=True, groups__in=groups)
    return sorted(set(users.values_list("pk", flat=True)))


def send_stale_column_reminders(today: dt.date | None = None) -> int:
    """Remind the editors of every column whose deadline falls within the reminder window and that
    was not reminded of this deadline yet; how many columns."""
    today = today or timezone.localdate()
    window = dt.timedelta(days=reminder_days())
    sent = 0
    for column in listed(ColumnPage.objects.all()).order_by("path"):
        period = update_period(column)
        last = _last_published(column) if period else None
        if period is None or last is None:
            continue  # static, or empty (the inspection reports empty columns)
        deadline = last + period
        if not today < deadline <= today + window:
            continue
        try:
            with transaction.atomic():
                _, created = ColumnReminder.objects.get_or_create(column=column, deadline=deadline)
        except IntegrityError:  # another run made it at the same moment: it sends the messages
            continue
        if created:
            _notify(column, last, period, deadline, today)
            sent += 1
    return sent


def _notify(
    column: ColumnPage, last: dt.date, period: dt.timedelta, deadline: dt.date, today: dt.date
) -> None:
    site = column.get_site()
    site_name = site.site_name if isinstance(site, Site) and site.site_name else ""
    where = f"（{site_name}）" if site_name else ""
    text = (
        f"栏目“{column.title}”{where}最近更新于 {last:%Y-%m-%d}，应每 {period.days} 天更新；"
        f"{deadline:%Y-%m-%d} 前（还剩 {(deadline - today).days} 天）无新信息，网站体检将判为超期未更新。"
    )
    link = reverse("wagtailadmin_explore", args=[column.pk])
    Notification.objects.bulk_create(
        Notification(recipient_id=pk, kind=Notification.Kind.STALE, page_id=column.pk, text=text, link=link)
        for pk in column_editor_ids(column)
    )
