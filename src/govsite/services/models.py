"""政务服务 办事指南: one page per service item, with the ten elements 国办秘函〔2019〕19号 checks (V6).

A guide is an information page (an `InfoPage` subclass, so its 办事服务 column lists it like its other
information pages) whose ten elements are fields of their own: the inspection can then tell which are
missing, and the public page shows them as one table in the same order on every site. An element that
does not apply is written as “无”: then it is answered, not missing. The 办理材料 are rows, each with an
optional blank form or sample (a document of the department's own collection: the page form refuses
any other, `core.media_access`).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from govsite.content.models import InfoPage, local_datetime

from .elements import ELEMENTS, MATERIALS, TEXT_ELEMENTS, required_message
from .forms import ServiceGuidePageForm


def element_field(label: str, help_text: str, *, long: bool = True) -> Any:
    """A required element; its blank error says how to answer one that does not apply."""
    messages = {"blank": required_message(label)}
    if long:
        return models.TextField(label, help_text=help_text, error_messages=messages)
    return models.CharField(label, max_length=200, help_text=help_text, error_messages=messages)


class ServiceGuidePage(InfoPage):
    """办事指南: the ten elements, the materials with their forms, the 在线办理 address and time limits.

    The inherited 正文 is the 事项简介 shown above the table.
    """

    item_name = element_field("事项名称", "如“高新技术企业认定”。", long=False)
    legal_basis = element_field("设定依据", "法律、法规、规章或规范性文件的名称和条款。")
    conditions = element_field("申请条件", "申请人应当具备的条件，每条一行。")
    materials_note = models.TextField(
        "材料说明",
        blank=True,
        help_text="对办理材料的统一要求（如“以上材料均需加盖单位公章”）；无需提交材料的，请填写“无”。",
    )
    location = element_field("办理地点", "窗口地址；可网上办理的一并说明。")
    agency = element_field("办理机构", "受理、审核和决定的机构（处室）。", long=False)
    fees = element_field("收费标准", "收费项目、标准和依据；不收费的填写“不收费”。")
    hours = element_field("办理时间", "受理时间，如“工作日 上午 9:00–12:00，下午 13:30–17:30”。")
    phone = element_field("联系电话", "咨询和监督投诉电话。", long=False)
    procedure = element_field("办理流程", "办理的步骤，每步一行。")
    legal_time_limit = models.CharField("法定办结时限", max_length=100, blank=True)
    promised_time_limit = models.CharField("承诺办结时限", max_length=100, blank=True)
    online_url = models.URLField(
        "在线办理地址", blank=True, help_text="可网上办理的，填写办理入口的完整网址（https://…）。"
    )
    pub_date = models.DateTimeField("发布日期", null=True, blank=True, help_text="留空则为首次发布的时间。")

    base_form_class = ServiceGuidePageForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("item_name"),
        FieldPanel("pub_date"),
        FieldPanel("body", heading="事项简介"),
        MultiFieldPanel([FieldPanel("legal_basis"), FieldPanel("conditions")], heading="设定依据与申请条件"),
        MultiFieldPanel(
            [InlinePanel(MATERIALS, label="材料", heading="办理材料"), FieldPanel("materials_note")],
            heading="办理材料",
        ),
        MultiFieldPanel(
            [
                FieldPanel("location"),
                FieldPanel("agency"),
                FieldPanel("fees"),
                FieldPanel("hours"),
                FieldPanel("phone"),
                FieldPanel("procedure"),
                FieldRowPanel([FieldPanel("legal_time_limit"), FieldPanel("promised_time_limit")]),
                FieldPanel("online_url"),
            ],
            heading="办理信息",
        ),
    ]
    parent_page_types = ["govsite_content.ColumnPage"]
    subpage_types: list[str] = []
    template = "services/service_guide_page.html"
    search_fields = [
        *InfoPage.search_fields,
        index.SearchField("item_name"),
        index.SearchField("conditions"),
        index.SearchField("agency"),
    ]

    class Meta:
        verbose_name = "办事指南"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.live and not self.pub_date:
            self.pub_date = self.first_published_at or timezone.now()
        super().save(*args, **kwargs)

    def gov_meta(self) -> list[tuple[str, str]]:
        published = self.pub_date or self.first_published_at
        tags = super().gov_meta()  # the 办事服务 column's tags (ColumnType 办事服务)
        tags += [
            ("ArticleTitle", self.title),
            ("PubDate", f"{local_datetime(published):%Y-%m-%d %H:%M}" if published else ""),
            ("ContentSource", self.agency),
        ]
        return tags

    def element_gaps(self) -> list[str]:
        """The labels of the elements left empty, in checklist order (“无” answers an element)."""
        gaps = []
        for name, label in ELEMENTS:
            if name == MATERIALS:
                present = bool(self.materials_note.strip()) or bool(list(self.materials.all()))
            else:
                present = bool(str(getattr(self, name) or "").strip())
            if not present:
                gaps.append(label)
        return gaps

    def service_links(self) -> list[str]:
        """The addresses this guide sends the public to: 在线办理, then each material's file."""
        links = [self.online_url] if self.online_url else []
        links += [m.document.url for m in self.materials.all() if m.document is not None]
        return links

    def elements(self) -> list[tuple[str, str, str]]:
        """(field name, label, text) of the elements shown as text (办理材料 is a table of its own)."""
        return [(name, label, getattr(self, name)) for name, label in TEXT_ELEMENTS]

    def checked_text_fields(self) -> list[tuple[str, str, str]]:
        """The text the pre-publication checks (错敏词, 领导姓名) read besides title and body."""
        fields = [*self.elements(), ("materials_note", "材料说明", self.materials_note)]
        fields += [(MATERIALS, "办理材料", f"{m.name} {m.requirement}") for m in self.materials.all()]
        return fields


class ServiceMaterial(Orderable):
    """One 办理材料: its name, how many copies in what form, and optionally the blank form or sample."""

    page = ParentalKey(ServiceGuidePage, on_delete=models.CASCADE, related_name=MATERIALS)
    name = models.CharField("材料名称", max_length=200)
    requirement = models.CharField(
        "份数及要求", max_length=200, blank=True, help_text="如“原件 1 份，复印件 1 份（加盖公章）”。"
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="空白表格或样表",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    panels = [FieldPanel("name"), FieldPanel("requirement"), FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = "办理材料"
        verbose_name_plural = "办理材料"

    def __str__(self) -> str:
        return self.name
