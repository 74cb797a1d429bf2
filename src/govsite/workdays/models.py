"""Holiday arrangements an administrator enters: corrections to `chinese-calendar`, and future years.

The State Council announces each year's holidays and 调休 working days in late autumn; the package only
knows the years it shipped with. A platform must not wait for a new release to count deadlines, nor
guess: an administrator enters the year's arrangement here and declares it complete.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel


class HolidayYear(ClusterableModel):
    """One year's arrangement: its overrides, and whether they are the whole of that year."""

    year = models.PositiveSmallIntegerField(
        "年份", unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2200)]
    )
    complete = models.BooleanField(
        "已完整录入",
        default=False,
        help_text=(
            "勾选表示下列日期就是该年全部的法定节假日和调休上班日：未列出的周一至周五为工作日，"
            "周六、周日休息。系统内置日历已包含的年份无需勾选，下列日期只用于更正。"
        ),
    )
    note = models.TextField("依据", blank=True, help_text="如：国务院办公厅关于某年部分节假日安排的通知")

    class Meta:
        verbose_name = "节假日安排"
        verbose_name_plural = "节假日安排"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year} 年节假日安排"


class HolidayOverride(models.Model):
    """A day whose status an administrator fixed: a statutory holiday, or a 调休 working day."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "法定节假日"
        WORKDAY = "workday", "调休上班日"

    holiday_year = ParentalKey(
        HolidayYear, on_delete=models.CASCADE, related_name="overrides", verbose_name="年度"
    )
    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    name = models.CharField("节日", max_length=20, blank=True, help_text="如：春节、国庆节")
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "节假日调整"
        verbose_name_plural = "节假日调整"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"

    @property
    def is_workday(self) -> bool:
        return self.kind == self.Kind.WORKDAY
