"""节假日调整 in the admin: platform administrators enter a year's holidays and 调休 working days.

The arrangement applies to every department's deadlines, so it is not a department's to change: the
model permissions `govsite_workdays.*` are given to no group, which leaves it to superusers.
"""

from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .forms import HolidayYearForm
from .models import HolidayYear


class HolidayYearViewSet(SnippetViewSet):
    model = HolidayYear
    icon = "date"
    menu_label = "节假日调整"
    add_to_admin_menu = True
    menu_order = 170
    list_display = ["year", "complete", "note"]
    ordering = ["-year"]
    edit_handler = ObjectList(
        [
            FieldPanel("year"),
            FieldPanel("complete"),
            FieldPanel("note"),
            InlinePanel("overrides", label="节假日和调休上班日", heading="日期"),
        ],
        base_form_class=HolidayYearForm,
    )


register_snippet(HolidayYearViewSet)
