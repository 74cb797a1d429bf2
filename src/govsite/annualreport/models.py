"""政府信息公开工作年度报告: a page of the site's 政府信息公开年报 column (docs/annual-report.md).

The office types in what no record holds (the text sections, 行政许可/处罚/强制/收费, 复议/诉讼); the
page computes table two's 第（一）项 and table three from the 公开目录 and the 依申请公开 cases each time
it is shown, until it is first published: then the computed numbers are frozen (`ReportSnapshot`, kept
outside the page's revisions, like the 索引号) and the published report never changes by itself.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, re_path
from wagtail.models import Page

from govsite.content.models import ColumnPage, ColumnType
from govsite.core.forms import BasePageForm
from govsite.core.models import BasePage

from .panels import ComputedTablesPanel

if TYPE_CHECKING:
    from .report import AnnualReport

FIRST_YEAR = 2008  # the first 年报 year: the 条例 took effect on 1 May 2008


def default_year(today: dt.date | None = None) -> int:
    """The year a report made today is normally for: last year."""
    return (today or timezone.localdate()).year - 1


class AnnualReportPageForm(BasePageForm):
    """One report per site and year, under a 信息公开年报 column; the year of a frozen report stays."""

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        year = cleaned.get("year")
        if year is None:
            return cleaned
        if not FIRST_YEAR <= year <= timezone.localdate().year:
            self.add_error("year", f"报告年度应在 {FIRST_YEAR} 年至今年之间。")
            return cleaned
        page: AnnualReportPage = self.instance
        parent = self.parent_page.specific if self.parent_page else None
        if not isinstance(parent, ColumnPage) or parent.column_type != ColumnType.DISCLOSURE_REPORT:
            raise ValidationError("年报须建在栏目类型为“信息公开年报”的栏目下。")
        if page.pk and year != page.year and ReportSnapshot.objects.filter(page_id=page.pk).exists():
            self.add_error("year", "年报已发布，报告年度不能再修改。")
        site = parent.get_site()
        if site is not None:
            others = AnnualReportPage.objects.descendant_of(site.root_page).filter(year=year)
            if others.exclude(pk=page.pk).exists():
                self.add_error("year", f"本网站已有 {year} 年度的政府信息公开年报。")
        return cleaned


class AnnualReportPage(RoutablePageMixin, BasePage):
    """One year's report of one site (the site is the department whose report it is)."""

    year = models.PositiveSmallIntegerField(
        "报告年度", default=default_year, help_text="如 2025：统计 2025 年 1 月 1 日至 12 月 31 日。"
    )
    overview = models.TextField(
        "一、总体情况", help_text="主动公开、依申请公开、政府信息管理、平台建设、监督保障。"
    )
    licensing = models.PositiveIntegerField("行政许可：本年处理决定数量", default=0)
    penalties = models.PositiveIntegerField("行政处罚：本年处理决定数量", default=0)
    enforcement = models.PositiveIntegerField("行政强制：本年处理决定数量", default=0)
    fees = models.DecimalField(
        "行政事业性收费：本年收费金额（万元）",
        max_digits=12,
        decimal_places=4,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"), "收费金额不能为负数。")],
    )
    review_upheld = models.PositiveIntegerField("行政复议：结果维持", default=0)
    review_corrected = models.PositiveIntegerField("行政复议：结果纠正", default=0)
    review_other = models.PositiveIntegerField("行政复议：其他结果", default=0)
    review_pending = models.PositiveIntegerField("行政复议：尚未审结", default=0)
    direct_upheld = models.PositiveIntegerField("未经复议直接起诉：结果维持", default=0)
    direct_corrected = models.PositiveIntegerField("未经复议直接起诉：结果纠正", default=0)
    direct_other = models.PositiveIntegerField("未经复议直接起诉：其他结果", default=0)
    direct_pending = models.PositiveIntegerField("未经复议直接起诉：尚未审结", default=0)
    after_review_upheld = models.PositiveIntegerField("复议后起诉：结果维持", default=0)
    after_review_corrected = models.PositiveIntegerField("复议后起诉：结果纠正", default=0)
    after_review_other = models.PositiveIntegerField("复议后起诉：其他结果", default=0)
    after_review_pending = models.PositiveIntegerField("复议后起诉：尚未审结", default=0)
    problems = models.TextField("五、存在的主要问题及改进情况")
    other_matters = models.TextField(
        "六、其他需要报告的事项", help_text="包括收取信息处理费的情况；没有的写“无”。"
    )

    base_form_class = AnnualReportPageForm
    parent_page_types = ["govsite_content.ColumnPage"]
    subpage_types: list[str] = []
    template = "annualreport/annual_report_page.html"

    content_panels = [
        *Page.content_panels,
        FieldPanel("year"),
        ComputedTablesPanel(heading="自动统计的数据"),
        FieldPanel("overview"),
        MultiFieldPanel(
            [
                FieldPanel("licensing"),
                FieldRowPanel([FieldPanel("penalties"), FieldPanel("enforcement")]),
                FieldPanel("fees"),
            ],
            heading="二、主动公开政府信息情况（手工填报部分）",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel(f"{group}_{result}")
                        for result in ("upheld", "corrected", "other", "pending")
                    ]
                )
                for group in ("review", "direct", "after_review")
            ],
            heading="四、政府信息公开行政复议、行政诉讼情况（总计自动求和）",
        ),
        FieldPanel("problems"),
        FieldPanel("other_matters"),
    ]

    class Meta:
        verbose_name = "政府信息公开年报"

    def gov_meta(self) -> list[tuple[str, str]]:
        parent = self.get_parent().specific
        return parent.gov_meta() if isinstance(parent, ColumnPage) else []

    @property
    def file_stem(self) -> str:
        return f"zfxxgknb-{self.year}"

    def published_subpaths(self) -> list[str]:
        """The report and its two downloads (for the static publisher)."""
        return ["", f"{self.file_stem}.docx", f"{self.file_stem}.pdf"]

    @re_path(r"^$")
    def report_page(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.render(request)
        return response

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The report's tables, also in the editor's preview (which does not go through a route)."""
        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        context["report"] = self.report()
        return context

    @re_path(r"^(?P<stem>[a-z0-9-]+)\.(?P<kind>docx|pdf)/?$")
    def download(self, request: HttpRequest, stem: str, kind: str) -> HttpResponse:
        from govsite.core.documents import render_docx, render_pdf

        if stem != self.file_stem:
            raise Http404
        report = self.report()
        if kind == "docx":
            body = render_docx(report)
            ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        else:
            body, ctype = render_pdf(report), "application/pdf"
        return HttpResponse(body, content_type=ctype)

    def report(self) -> AnnualReport:
        """The report as shown: frozen numbers once published, else computed now (report.py)."""
        from .report import build_report

        return build_report(self)


class ReportSnapshot(models.Model):
    """The computed numbers of a report as they were at its first publication (never recomputed)."""

    page = models.OneToOneField(Page, on_delete=models.CASCADE, related_name="annual_report_snapshot")
    year = models.PositiveSmallIntegerField()
    data = models.JSONField()
    frozen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "年报统计快照"
        verbose_name_plural = "年报统计快照"

    def __str__(self) -> str:
        return f"{self.page_id}/{self.year}"
