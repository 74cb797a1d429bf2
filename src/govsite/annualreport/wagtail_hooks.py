"""The dashboard reminder of the 31 January deadline, for the site's 网站管理员 and platform admins."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.ui.components import Component

from govsite.sites.models import admin_sites

from .reminders import Reminder, missing_reports


def today() -> dt.date:
    """The date the reminder is judged on (a function, so that tests can fix it)."""
    return timezone.localdate()


class MissingReportsPanel(Component):
    name = "govsite_annual_reports"
    order = 45
    template_name = "annualreport/dashboard_panel.html"

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.reminders: list[Reminder] | None = None

    def get_reminders(self) -> list[Reminder]:
        if self.reminders is None:
            self.reminders = missing_reports(admin_sites(self.request.user), today())
        return self.reminders

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        reminders = self.get_reminders()
        return {
            "reminders": reminders,
            "overdue": any(r.overdue for r in reminders),
            "year": reminders[0].year if reminders else None,
            "deadline": reminders[0].deadline if reminders else None,
        }

    def render_html(self, parent_context: Any = None) -> str:
        return str(super().render_html(parent_context)) if self.get_reminders() else ""


@hooks.register("construct_homepage_panels")
def add_missing_reports_panel(request: HttpRequest, panels: list[Any]) -> None:
    panels.insert(0, MissingReportsPanel(request))
