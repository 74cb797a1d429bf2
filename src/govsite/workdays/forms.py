"""The admin form of a year's holiday arrangement."""

from typing import Any

from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm


class HolidayYearForm(WagtailAdminModelForm):
    """Every override of a year lies in that year: a 2028 date filed under 2027 would be counted but
    never looked for where the administrator expects it, and would not make 2028 known."""

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        year = cleaned.get("year")
        formset = self.formsets.get("overrides")
        if year is None or formset is None or not formset.is_valid():
            return cleaned
        stray = sorted(
            form.cleaned_data["date"]
            for form in formset.forms
            if form.cleaned_data.get("date") and not form.cleaned_data.get("DELETE")
            if form.cleaned_data["date"].year != year
        )
        if stray:
            days = "、".join(f"{day:%Y-%m-%d}" for day in stray)
            raise ValidationError({"year": f"以下日期不在 {year} 年内，请改正或放到对应年份：{days}"})
        return cleaned
