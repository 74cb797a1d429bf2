"""Receivers of the annualreport app: the freezing of a report's computed numbers at its first
publication. (The 年报 column of a new department site is part of opengov's statutory tree.)"""

from typing import Any

from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published

from .models import AnnualReportPage
from .report import freeze


@receiver(page_published, dispatch_uid="govsite_annualreport_freeze")
def on_page_published(sender: Any, instance: Page, **kwargs: Any) -> None:
    """Every path that makes a page live sends page_published (三审, 紧急发布, scheduled): the numbers
    are frozen before the publisher (after commit) renders the page."""
    if isinstance(instance, AnnualReportPage):
        freeze(instance)
