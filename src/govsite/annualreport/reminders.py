"""The 31 January deadline (条例 Art. 49): which sites have not published last year's report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from wagtail.models import Site

from .models import AnnualReportPage


@dataclass(frozen=True)
class Reminder:
    site: Site
    year: int  # the report's year (last year)
    deadline: dt.date  # 31 January of this year
    overdue: bool


def deadline_for(year: int) -> dt.date:
    return dt.date(year + 1, 1, 31)


def missing_reports(sites: list[Site], today: dt.date) -> list[Reminder]:
    """From 1 January, every site among `sites` without a live report for last year; after 31
    January it is overdue. (Every date of a year is on or after its 1 January: the reminder stands
    all year until the report is out.)"""
    year = today.year - 1
    deadline = deadline_for(year)
    published = list(AnnualReportPage.objects.live().filter(year=year).values_list("path", flat=True))
    reminders = []
    for site in (
        Site.objects.filter(pk__in=[s.pk for s in sites]).select_related("root_page").order_by("hostname")
    ):
        root = site.root_page.path
        if not any(path.startswith(root) for path in published):
            reminders.append(Reminder(site, year, deadline, today > deadline))
    return reminders
