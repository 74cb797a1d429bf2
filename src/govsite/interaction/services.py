"""Receiving a message and moving it through 受理 → (转办) → 答复 → 审核 → 办结, each step audited.

Every function checks that the step is allowed now (a Chinese `TransitionError` otherwise) and logs it
with `wagtail.log_actions.log` against the message, whose label is its 留言编号: the audit log never holds
the writer's personal information. A reply is released (to the writer and, when allowed, the public)
only when a second person approves it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Site

from govsite.citizens.models import PublicAccount
from govsite.core.publicforms import new_query_code
from govsite.core.types import RequestUser
from govsite.sites.models import SiteProfile
from govsite.workdays.calendar import WorkdayCalendar

from .access import alert_recipients
from .deadlines import current_deadline
from .models import (
    OPEN_STATUSES,
    Alert,
    Channel,
    Message,
    MessageAttachment,
    Status,
    Transfer,
    allocate_number,
    hash_query_code,
)
from .signals import message_published

Actor = RequestUser | None
RATINGS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}


class TransitionError(Exception):
    """A step that is not allowed in the message's present state; the message is for the handler."""


def audit(message: Message, action: str, user: Actor, **data: Any) -> None:
    """One audit entry (Wagtail's ModelLogEntry) for `message`; `data` holds no personal information."""
    log(instance=message, action=f"govsite.interaction.{action}", user=user, data=data or None)


def submit(
    site: Site,
    channel: Channel,
    data: dict[str, Any],
    uploads: list[UploadedFile[bytes]] = [],  # noqa: B006
    account: PublicAccount | None = None,
) -> tuple[Message, str]:
    """Store a message (committed when this returns) and return it with its query code; `account` is the
    public account the person is signed in with (the message is then listed under 我的留言)."""
    code = new_query_code()
    today = timezone.localdate()
    with transaction.atomic():
        message = Message.objects.create(
            origin_site=site,
            site=site,
            channel=channel,
            number=allocate_number(site, today.year),
            query_code_hash=hash_query_code(code),
            received_on=today,
            account=account,
            **data,
        )
        for upload in uploads:
            attachment = MessageAttachment(message=message, title=(upload.name or "附件")[:200])
            attachment.file.save(upload.name or "file", upload, save=False)
            attachment.save()
        audit(message, "submit", None, channel=channel.kind)
    return message, code


def _require(message: Message, *states: str) -> None:
    if message.status not in states:
        allowed = "、".join(Status(s).label for s in states)
        raise TransitionError(
            f"此操作只能在“{allowed}”状态下进行，本留言当前为“{message.get_status_display()}”。"
        )


def accept(message: Message, user: Actor, on: dt.date) -> None:
    """受理: the message is valid and will be answered."""
    _require(message, Status.RECEIVED)
    if on < message.received_on:
        raise TransitionError("受理日期不能早于收到日期。")
    message.status, message.accepted_on = Status.ACCEPTED, on
    message.save()
    audit(message, "accepted", user)


def reject(message: Message, user: Actor, reason: str, on: dt.date) -> None:
    """不予受理: the reason is shown to the writer (lookup); the message leaves the deadline lists."""
    _require(message, Status.RECEIVED, Status.ACCEPTED)
    if not reason.strip():
        raise TransitionError("请写明不予受理的理由，该理由将告知留言人。")
    message.status, message.reject_reason, message.closed_on = Status.REJECTED, reason.strip(), on
    message.save()
    audit(message, "rejected", user)


def mark_spam(message: Message, user: Actor) -> None:
    """垃圾信息 (advertising, abuse): hidden from the lists and the statistics, kept for the record."""
    _require(message, Status.RECEIVED)
    message.status = Status.SPAM
    message.save()
    audit(message, "spam", user)


def transfer(message: Message, user: Actor, to_site: Site, note: str, on: dt.date) -> Transfer:
    """转办 to another department site of the cluster: its handlers answer it from now on; the deadline
    keeps running from receipt (the writer waits for one answer)."""
    _require(message, Status.RECEIVED, Status.ACCEPTED)
    if to_site.pk == message.site_id:
        raise TransitionError("不能转办给本单位。")
    with transaction.atomic():
        step = Transfer.objects.create(
            message=message,
            from_site=message.site,
            to_site=to_site,
            note=note.strip(),
            by=user if user is not None and user.is_authenticated else None,
            on=on,
        )
        message.site = to_site
        message.alert = Alert.NONE  # the new handlers get their own reminders
        message.save()
        audit(message, "transferred", user, to=to_site.hostname)
    return step


def reply(message: Message, user: Actor, office: str, text: str) -> None:
    """答复 (draft): the reply waits for 审核 by a second person before anyone sees it."""
    _require(message, Status.ACCEPTED)
    if not office.strip() or not text.strip():
        raise TransitionError("请填写答复部门和答复内容。")
    message.reply_office, message.reply_text = office.strip(), text.strip()
    message.replied_by = user if user is not None and user.is_authenticated else None
    message.review_note = ""
    message.status = Status.REVIEW
    message.save()
    audit(message, "reply_drafted", user)


def approve(message: Message, user: Actor, on: dt.date) -> None:
    """审核通过: the reply is released to the writer and, if allowed, published on the site at once."""
    _require(message, Status.REVIEW)
    if user is not None and message.replied_by_id is not None and message.replied_by_id == user.pk:
        raise TransitionError("答复须由拟稿人以外的人员审核。")
    message.status, message.replied_on = Status.REPLIED, on
    message.reviewed_by = user if user is not None and user.is_authenticated else None
    message.save()
    audit(message, "reply_approved", user)
    # Sent now: the publisher renders after the commit (and not at all while publishing is suspended).
    message_published.send(sender=Message, message=message)


def send_back(message: Message, user: Actor, note: str) -> None:
    """审核退回: the drafter revises the reply."""
    _require(message, Status.REVIEW)
    if not note.strip():
        raise TransitionError("请写明退回修改的意见。")
    message.status, message.review_note = Status.ACCEPTED, note.strip()
    message.save()
    audit(message, "reply_returned", user)


def close(message: Message, user: Actor, on: dt.date) -> None:
    """办结."""
    _require(message, Status.REPLIED)
    message.status, message.closed_on = Status.CLOSED, on
    message.save()
    audit(message, "closed", user)


def rate(message: Message, rating: int) -> None:
    """满意度 given by the writer (with the query code) once the reply is out; a later rating replaces it."""
    _require(message, Status.REPLIED, Status.CLOSED)
    if rating not in RATINGS:
        raise TransitionError("请选择满意度。")
    message.rating = rating
    message.save(update_fields=["rating"])
    audit(message, "rated", None, rating=rating)
    # Sent now: the publisher renders after the commit (and not at all while publishing is suspended).
    message_published.send(sender=Message, message=message)


# --- reminders ---------------------------------------------------------------------------------
ALERT_SUBJECTS = {
    Alert.REMINDED: "留言即将到期：{number}",
    Alert.ESCALATED: "留言已超期，请督办：{number}",
    Alert.VETO_WARNING: "【严重超期预警】留言 {number} 已超过 60 天未答复",
}


def send_alerts(today: dt.date | None = None, calendar: WorkdayCalendar | None = None) -> dict[Alert, int]:
    """Send each open message's due reminder once (the levels only rise); returns the count per level.

    Run daily (`govsite message_alerts`). Recipients are the handlers of the message's site; the site's
    administrators from 超期 on; the platform administrators too at the 60-day alert."""
    today = today or timezone.localdate()
    calendar = calendar or WorkdayCalendar.load()
    sent: dict[Alert, int] = {}
    messages = Message.objects.filter(status__in=OPEN_STATUSES).select_related("channel", "site")
    for message in messages.iterator():
        deadline = current_deadline(message, calendar, today)
        if deadline is None or deadline.alert <= message.alert:
            continue
        level = Alert(deadline.alert)
        recipients = alert_recipients(message.site, level)
        profile = SiteProfile.for_site(message.site)
        due = deadline.due.isoformat() if deadline.due else "（节假日安排未公布）"
        body = (
            f"{profile.site_name}的留言 {message.number}（{message.channel.name}）"
            f"于 {message.received_on.isoformat()} 收到，答复期限为 {due}，"
            f"当前状态：{message.get_status_display()}。\n"
            "请登录管理后台“留言办理”处理。"
        )
        if recipients:
            send_mail(ALERT_SUBJECTS[level].format(number=message.number), body, None, recipients)
        Message.objects.filter(pk=message.pk).update(alert=level)
        audit(message, "alert", None, level=int(level), recipients=len(recipients))
        sent[level] = sent.get(level, 0) + 1
    return sent
