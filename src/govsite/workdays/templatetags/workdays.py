"""`{% load workdays %}{% unknown_year_notice year %}`: the notice of `notices.unknown_year_notice`."""

from django import template
from django.utils.safestring import SafeString

from govsite.workdays.calendar import UnknownHolidayYear
from govsite.workdays.notices import unknown_year_notice as notice

register = template.Library()


@register.simple_tag
def unknown_year_notice(year_or_error: int | UnknownHolidayYear) -> SafeString:
    return notice(year_or_error)
