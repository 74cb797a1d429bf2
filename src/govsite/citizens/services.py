"""找错 reports: which site owns a reported address, receiving a report on the clock, and handling it.

Each step is logged in Wagtail's audit log against the report (label: its number, never the contact).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Site

from govsite.core.types import RequestUser
from govsite.workdays.calendar import UnknownHolidayYear, WorkdayCalendar

from .models import ErrorReport, PublicAccount, ReportStatus

# The legal deadline of a report (working days from receipt): the checklist's provincial rule (S1).
REPORT_WORKDAYS = 3
FOREIGN_HOST = "您填写的网页不属于本网站群，只能对本平台各网站的网页纠错。请核对网页地址。"
BAD_URL = "网页地址格式不正确，请填写以 http:// 或 https:// 开头的本网站网页地址。"


class ReportError(Exception):
    """A handling step that is not allowed now; the message is for the handler."""


def resolve_site(url: str, here: Site) -> Site:
    """The cluster site that owns `url`; a bare path (/a/b.html) belongs to `here`, the site asked.

    Raises ValueError with a Chinese message for a malformed address or another host.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise ValueError(BAD_URL) from None
    if not parts.netloc:
        if parts.scheme or not parts.path.startswith("/"):
            raise ValueError(BAD_URL)
        return here
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(BAD_URL)
    candidates = list(Site.objects.filter(hostname__iexact=parts.hostname))
    if not candidates:
        raise ValueError(FOREIGN_HOST)
    if len(candidates) == 1:
        return candidates[0]
    wanted = port or (443 if parts.scheme == "https" else 80)
    for site in candidates:
        if site.port == wanted:
            return site
    raise ValueError(FOREIGN_HOST)


def audit(report: ErrorReport, action: str, user: RequestUser | None, **data: Any) -> None:
    log(instance=report, action=f"govsite.citizens.{action}", user=user, data=data or None)


def due_date(received: dt.date, calendar: WorkdayCalendar | None = None) -> dt.date | None:
    """The day the report must be closed by, or None when the year's holidays are not known yet."""
    try:
        return (calendar or WorkdayCalendar.load()).add_workdays(received, REPORT_WORKDAYS)
    except UnknownHolidayYear:
        return None


def submit_report(site: Site, data: dict[str, Any], account: PublicAccount | None) -> ErrorReport:
    """Store a report (committed before its number is shown) with its 3-working-day deadline."""
    today = timezone.localdate()
    with transaction.atomic():
        report = ErrorReport.objects.create(
            site=site, account=account, received_on=today, due_on=due_date(today), **data
        )
        audit(report, "submit", None)
    return report


TRANSITIONS: dict[str, tuple[str, ...]] = {
    ReportStatus.ACCEPTED: (ReportStatus.NEW,),
    ReportStatus.FIXED: (ReportStatus.NEW, ReportStatus.ACCEPTED),
    ReportStatus.REJECTED: (ReportStatus.NEW, ReportStatus.ACCEPTED),
}


def handle(report: ErrorReport, user: RequestUser, status: str, reply: str) -> None:
    """受理 / 已修正 / 不予采纳: closing needs a reply (what was fixed, or why it is not adopted)."""
    if status not in TRANSITIONS:
        raise ReportError("请选择处理结果。")
    if report.status not in TRANSITIONS[status]:
        raise ReportError(
            f"本条纠错当前为“{report.get_status_display()}”，不能改为“{ReportStatus(status).label}”。"
        )
    reply = reply.strip()
    if status != ReportStatus.ACCEPTED and not reply:
        raise ReportError("办结时请填写处理意见（修正了什么，或不予采纳的理由）。")
    report.status = status
    if reply:
        report.reply = reply
    if status != ReportStatus.ACCEPTED:
        report.handled_on = timezone.localdate()
    report.handled_by = user if user.is_authenticated else None
    report.save()
    audit(report, status, user)
