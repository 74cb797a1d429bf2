"""政务公开 records: the 公开目录 metadata of an article, its 索引号, the classification lists and
the public catalogue page (docs/open-government.md)."""

import re
import string

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, re_path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page

from govsite.content.models import ArticlePage, ColumnType
from govsite.core.models import BasePage

DEFAULT_INDEX_PATTERN = "{统一社会信用代码}/{year}-{seq:05d}"
CREDIT_CODE_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
# 文号 brackets seen in the wild (【】, [], (), （）) are stored and shown as GB/T 9704's 〔〕.
DOC_NUMBER_BRACKETS = re.compile(r"[【\[(（]\s*(\d{4})\s*[】\])）]")


def normalise_document_number(value: str) -> str:
    """内科发[2025]12号 → 内科发〔2025〕12号."""
    return DOC_NUMBER_BRACKETS.sub(r"〔\1〕", value.strip())


def format_index_number(pattern: str, credit_code: str, year: int, seq: int) -> str:
    """The 索引号 for a pattern with the fields {统一社会信用代码} (or {org_code}), {year} and {seq}."""
    return pattern.format(
        **{"统一社会信用代码": credit_code, "org_code": credit_code, "year": year, "seq": seq}
    )


def validate_index_pattern(pattern: str) -> None:
    names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    unknown = names - {"统一社会信用代码", "org_code", "year", "seq"}
    if unknown:
        raise ValidationError(f"索引号规则中有不认识的字段：{'、'.join(sorted(unknown))}。")
    if "seq" not in names:
        raise ValidationError("索引号规则必须包含流水号 {seq}（如 {seq:05d}），否则索引号会重复。")
    try:
        format_index_number(pattern, "X" * 18, 2025, 1)
    except (ValueError, IndexError, KeyError) as exc:
        raise ValidationError(f"索引号规则的格式不正确：{exc}") from exc


@register_setting(icon="list-ul")
class OpenGovSettings(BaseSiteSetting):
    """Per-site 政务公开 settings: who the site discloses for, and how its 索引号 are written."""

    credit_code = models.CharField(
        "统一社会信用代码",
        max_length=18,
        blank=True,
        help_text="本机关的 18 位统一社会信用代码，用于生成索引号。",
    )
    index_pattern = models.CharField(
        "索引号规则",
        max_length=100,
        default=DEFAULT_INDEX_PATTERN,
        validators=[validate_index_pattern],
        help_text="可用字段：{统一社会信用代码}、{year}（年份）、{seq:05d}（5 位流水号）。"
        "已生成的索引号不随规则修改而改变。",
    )

    panels = [FieldPanel("credit_code"), FieldPanel("index_pattern")]

    class Meta:
        verbose_name = "政务公开设置"

    def clean(self) -> None:
        super().clean()
        code = self.credit_code.strip().upper()
        if code and not CREDIT_CODE_RE.match(code):
            raise ValidationError(
                {"credit_code": "统一社会信用代码应为 18 位数字或大写字母（不含 I、O、Z、S、V）。"}
            )
        self.credit_code = code


class SubjectCategory(models.Model):
    """主题分类: two levels (综合政务 \\ 其他), seeded with the national portal's list, editable."""

    name = models.CharField("名称", max_length=60)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级分类",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        limit_choices_to={"parent__isnull": True},
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    panels = [FieldPanel("name"), FieldPanel("parent"), FieldPanel("sort_order")]

    class Meta:
        verbose_name = "主题分类"
        verbose_name_plural = "主题分类"
        ordering = ["sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="unique_subject_in_parent")]

    def __str__(self) -> str:
        return f"{self.parent.name} \\ {self.name}" if self.parent_id and self.parent else self.name

    def clean(self) -> None:
        if self.parent_id and self.parent and self.parent.parent_id:
            raise ValidationError({"parent": "主题分类只有两级：上级分类须为一级分类。"})


class Genre(models.Model):
    """体裁分类: the 15 kinds of 公文 and the catalogue's other genres."""

    name = models.CharField("名称", max_length=30, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    panels = [FieldPanel("name"), FieldPanel("sort_order")]

    class Meta:
        verbose_name = "体裁分类"
        verbose_name_plural = "体裁分类"
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name


class CatalogueEntry(models.Model):
    """The 公开目录 metadata of one article (§5.4 I4), kept in the article's revisions.

    索引号 and 有效性 are not here: the number is allocated once, outside revisions (`IndexNumber`);
    有效性 is the content app's 文件效力 (`DocumentValidity`).
    """

    class Method(models.TextChoices):
        ACTIVE = "主动公开", "主动公开"
        ON_REQUEST = "依申请公开", "依申请公开"

    class Audience(models.TextChoices):
        ALL = "公民、法人和其他组织", "公民、法人和其他组织"
        CITIZENS = "公民", "公民"
        LEGAL_PERSONS = "法人", "法人"
        ORGANISATIONS = "其他组织", "其他组织"
        GOVERNMENT = "政府部门", "政府部门"

    class InterpretationKind(models.TextChoices):
        TEXT = "文字解读", "文字解读"
        GRAPHIC = "图解", "图解"
        VIDEO = "视频解读", "视频解读"
        EXPERT = "专家解读", "专家解读"

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="catalogue_entries")
    subject = models.ForeignKey(
        SubjectCategory,
        verbose_name="主题分类",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    genre = models.ForeignKey(
        Genre, verbose_name="体裁分类", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issuing_organ = models.CharField(
        "发文机关", max_length=100, blank=True, help_text="留空则为本网站的主办单位。"
    )
    written_date = models.DateField("成文日期", null=True, blank=True)
    document_number = models.CharField(
        "发文字号", max_length=60, blank=True, help_text="如：内科发〔2025〕12号（年份用六角括号〔〕）。"
    )
    disclosure_method = models.CharField(
        "公开方式", max_length=10, choices=Method.choices, default=Method.ACTIVE
    )
    audience = models.CharField("服务对象", max_length=20, choices=Audience.choices, default=Audience.ALL)
    subject_words = models.CharField("主题词", max_length=200, blank=True, help_text="用空格或逗号分隔。")
    interprets = models.ForeignKey(
        ArticlePage,
        verbose_name="解读的政策文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interpretation_entries",
        help_text="本文为政策解读时，选择它解读的政策文件；两个页面互相链接。",
    )
    interpretation_kind = models.CharField(
        "解读形式", max_length=10, choices=InterpretationKind.choices, blank=True
    )

    class Meta:
        verbose_name = "公开目录信息"
        verbose_name_plural = "公开目录信息"
        constraints = [models.UniqueConstraint(fields=["page"], name="one_catalogue_entry_per_page")]

    def __str__(self) -> str:
        return f"{self.page_id}"

    def clean(self) -> None:
        self.document_number = normalise_document_number(self.document_number)
        if self.interprets_id and self.interprets_id == self.page_id:
            raise ValidationError({"interprets": "不能选择本文自身作为解读的政策文件。"})
        if self.interpretation_kind and not self.interprets_id:
            raise ValidationError({"interprets": "请选择本解读所解读的政策文件。"})


# The 索引号's 流水号 sequence in govsite.sites.sequences (one row per site and year).
INDEX_SEQUENCE = "opengov.index_number"


class IndexNumber(models.Model):
    """索引号: allocated at first publication and never changed (not part of the page's revisions)."""

    page = models.OneToOneField(Page, on_delete=models.CASCADE, related_name="index_number")
    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    seq = models.PositiveIntegerField()
    value = models.CharField("索引号", max_length=100, unique=True)
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "索引号"
        verbose_name_plural = "索引号"

    def __str__(self) -> str:
        return self.value


class CatalogueIndexPage(RoutablePageMixin, BasePage):
    """公开目录: the catalogue of the 政务公开 column it sits in, browsable by 主题分类, 体裁分类,
    year, 发文机关 and 有效性; every route is a static address (docs/open-government.md)."""

    intro = models.TextField("说明", blank=True, help_text="显示在目录上方，如本目录的编排体系。")
    per_page = models.PositiveSmallIntegerField("每页条数", default=20)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("per_page")]
    parent_page_types = ["govsite_content.ColumnPage"]
    subpage_types: list[str] = []
    template = "opengov/catalogue_index_page.html"
    max_count_per_parent = 1

    class Meta:
        verbose_name = "公开目录"

    def gov_meta(self) -> list[tuple[str, str]]:
        return [
            ("ColumnName", self.title),
            (
                "ColumnDescription",
                self.intro or f"{self.title}：按主题分类、体裁分类、年份、发文机关和有效性浏览。",
            ),
            ("ColumnKeywords", "公开目录,索引号,政务公开"),
            ("ColumnType", ColumnType.DISCLOSURE_CATALOGUE.value),
        ]

    @re_path(
        r"^(?:(?P<kind>zt|tc|nd|jg|yx)/(?P<key>[0-9a-z]{1,16})/)?(?:index_(?P<number>[1-9]\d*)\.html)?/?$"
    )
    def catalogue(
        self, request: HttpRequest, kind: str | None = None, key: str | None = None, number: str | None = None
    ) -> HttpResponse:
        from .catalogue import Catalogue

        catalogue = Catalogue(self)
        try:
            listing = catalogue.listing(kind, key, int(number) if number else 1)
        except LookupError as exc:
            raise Http404 from exc
        context = {"catalogue": catalogue, "listing": listing}
        response: HttpResponse = self.render(request, context_overrides=context)
        return response

    def published_subpaths(self) -> list[str]:
        """Every address of the catalogue below its own (for the static publisher)."""
        from .catalogue import Catalogue

        return Catalogue(self).subpaths()
