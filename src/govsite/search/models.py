"""The search index (one row per public page), extracted attachment text, 热词 and promotions."""

from typing import Any

from django.db import models
from django.db.models import F
from wagtail.admin.panels import FieldPanel, PageChooserPanel
from wagtail.models import Page, Site


class TSVectorField(models.TextField):
    """A PostgreSQL tsvector written as a literal built in Python (text, unused, elsewhere)."""

    def db_type(self, connection: Any) -> str:
        return "tsvector" if connection.vendor == "postgresql" else "text"

    def get_placeholder(self, value: Any, compiler: Any, connection: Any) -> str:
        return "%s::tsvector" if connection.vendor == "postgresql" else "%s"


class PageKind(models.TextChoices):
    ARTICLE = "article", "文章"
    INFO = "info", "信息页"
    COLUMN = "column", "栏目"


class SearchDocument(models.Model):
    """A live, public page as the search index sees it.

    The plain-text fields serve snippets and display; the ``t_*`` fields hold the same text
    segmented by govsite.search.segment. On SQLite an FTS5 table mirrors the ``t_*`` columns
    through triggers; on PostgreSQL ``search_vector`` (a weighted tsvector, GIN-indexed by migration
    0002) is written from Python and the ``t_*`` columns stay empty.
    """

    page = models.OneToOneField(Page, on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    path = models.CharField(max_length=255, db_index=True)  # treebeard path: column/site filters
    column = models.ForeignKey(Page, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    column_title = models.CharField(max_length=255, blank=True)
    kind = models.CharField(max_length=10, choices=PageKind.choices)
    url_path = models.CharField(max_length=500)  # site-relative address
    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    source = models.CharField(max_length=255, blank=True)
    attachment_text = models.TextField(blank=True)
    pub_date = models.DateTimeField()  # the article's 发布日期, else when the page was published
    indexed_at = models.DateTimeField(auto_now=True)
    t_title = models.TextField(blank=True)
    t_summary = models.TextField(blank=True)
    t_body = models.TextField(blank=True)
    t_source = models.TextField(blank=True)
    t_attachments = models.TextField(blank=True)
    search_vector = TSVectorField(null=True, blank=True)

    class Meta:
        verbose_name = "搜索索引条目"
        verbose_name_plural = "搜索索引"
        # Newest first, as results sorted by date are read (per site, or across the cluster).
        indexes = [
            models.Index(F("site"), F("pub_date").desc(), F("id").desc(), name="search_doc_site_recent"),
            models.Index(F("pub_date").desc(), F("id").desc(), name="search_doc_recent"),
        ]

    def __str__(self) -> str:
        return self.title


class DocumentText(models.Model):
    """Text extracted from an uploaded document (PDF, DOCX, XLSX, TXT), keyed by file hash."""

    document = models.OneToOneField("wagtaildocs.Document", on_delete=models.CASCADE, related_name="+")
    file_hash = models.CharField(max_length=40, blank=True)
    text = models.TextField(blank=True)
    error = models.CharField(max_length=255, blank=True)
    extracted_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "附件文本"
        verbose_name_plural = "附件文本"

    def __str__(self) -> str:
        return f"{self.document_id}"


class SearchQueryLog(models.Model):
    """How often a query found something, per site and day: the source of 热词."""

    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    query = models.CharField(max_length=50)
    day = models.DateField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "搜索记录"
        verbose_name_plural = "搜索记录"
        constraints = [models.UniqueConstraint(fields=["site", "query", "day"], name="search_log_unique")]
        indexes = [models.Index(fields=["site", "day"], name="search_log_site_day")]

    def __str__(self) -> str:
        return self.query


class SearchPromotion(models.Model):
    """An editor's recommended result (推荐结果), shown above the results for a keyword."""

    site = models.ForeignKey(
        Site,
        verbose_name="站点",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="留空则在所有站点生效。",
    )
    keyword = models.CharField("关键词", max_length=50, help_text="搜索词包含该关键词时显示。")
    page = models.ForeignKey(Page, verbose_name="推荐页面", on_delete=models.CASCADE, related_name="+")
    description = models.CharField("推荐说明", max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    panels = [
        FieldPanel("site"),
        FieldPanel("keyword"),
        PageChooserPanel("page"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = "推荐结果"
        verbose_name_plural = "推荐结果"

    def __str__(self) -> str:
        return f"{self.keyword} → {self.page.title}"


class SearchTerm(models.Model):
    """A word from indexed titles with its 拼音, for pinyin input and homophone typo correction."""

    term = models.CharField(max_length=20, unique=True)
    pinyin = models.CharField(max_length=120, db_index=True)
    freq = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "搜索词表"
        verbose_name_plural = "搜索词表"

    def __str__(self) -> str:
        return self.term
