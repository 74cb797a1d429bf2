"""What the admin shows when a deadline cannot be computed (for the features that count deadlines)."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from .calendar import UnknownHolidayYear, unknown_year_message

# The admin list of holiday arrangements (Wagtail's URL namespace for the snippet).
ADMIN_LIST_URL_NAME = "wagtailsnippets_govsite_workdays_holidayyear:list"


def unknown_year_notice(year_or_error: int | UnknownHolidayYear) -> SafeString:
    """The Chinese notice that a deadline falls in a year whose holidays are unknown, with a link to
    where an administrator enters them (editors see it too: they know whom to ask)."""
    year = year_or_error.year if isinstance(year_or_error, UnknownHolidayYear) else year_or_error
    link = reverse(ADMIN_LIST_URL_NAME)
    return format_html('期限无法计算：{}。<a href="{}">节假日调整</a>', unknown_year_message(year), link)
