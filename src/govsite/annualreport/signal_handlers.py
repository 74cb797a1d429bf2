"""Receivers of the annualreport app: the 年报 column of a new department site, and the freezing of
a report's computed numbers at its first publication."""

from typing import Any

from django.dispatch import receiver
from wagtail.models import Page, Site
from wagtail.signals import page_published

from govsite.sites.signals import department_provisioned

from .models import AnnualReportPage
from .provisioning import report_column
from .report import freeze


@receiver(page_published, dispatch_uid="govsite_annualreport_freeze")
def on_page_published(sender: Any, instance: Page, **kwargs: Any) -> None:
    """Every path that makes a page live sends page_published (三审, 紧急发布, scheduled): the numbers
    are frozen before the publisher (after commit) renders the page."""
    if isinstance(instance, AnnualReportPage):
        freeze(instance)


@receiver(department_provisioned, dispatch_uid="govsite_annualreport_column")
def on_department_provisioned(sender: Any, site: Site, **kwargs: Any) -> None:
    """After opengov's receiver (this app is installed after it) has made the 政务公开 column."""
    report_column(site)
