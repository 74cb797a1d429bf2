"""Receiving submissions, the audit trail of handlers' views, and the 采纳情况 reminder."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Site

from govsite.core.types import RequestUser
from govsite.workdays.calendar import UnknownHolidayYear, WorkdayCalendar

from .models import SolicitationPage

# 采纳情况 is due this many working days after a 征集 closed (the admin warns after that).
ADOPTION_DUE_WORKDAYS = 10


def audit(row: models.Model, action: str, user: RequestUser | None, **data: Any) -> None:
    """One audit entry (Wagtail's ModelLogEntry); `data` must hold no personal information."""
    log(instance=row, action=f"govsite.participation.{action}", user=user, data=data or None)


def site_of(page: Any) -> Site:
    site = page.get_site()
    if site is None:  # a page outside every site is never served
        raise ValueError("page has no site")
    return site


@dataclass
class AdoptionDue:
    page: SolicitationPage
    due_on: dt.date | None  # None: the working-day clock cannot place it (holidays not yet known)

    @property
    def overdue(self) -> bool:
        return self.due_on is None or self.due_on < timezone.localdate()


def adoption_due(page: SolicitationPage, calendar: WorkdayCalendar) -> AdoptionDue | None:
    """When a closed 征集's 采纳情况 is due, or None when it is published or the 征集 still runs."""
    if page.has_adoption or not page.is_closed:
        return None
    closed_on = timezone.localdate(page.end_at)
    try:
        return AdoptionDue(page, calendar.add_workdays(closed_on, ADOPTION_DUE_WORKDAYS))
    except UnknownHolidayYear:
        return AdoptionDue(page, None)


def missing_adoptions(pages: list[Any], calendar: WorkdayCalendar) -> list[AdoptionDue]:
    """The closed 征集 among `pages` whose 采纳情况 is overdue."""
    found = [adoption_due(p, calendar) for p in pages if isinstance(p, SolicitationPage) and p.live]
    return [due for due in found if due is not None and due.overdue]
