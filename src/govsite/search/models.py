"""The search index (one row per public page), 热词 and promotions."""

from datetime import timedelta

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Sum
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, PageChooserPanel
from wagtail.models import Page, Site

from govsite.checks.models import SiteScopedForm


class TSVectorField(models.TextField[str | None, str | None]):
    """A PostgreSQL tsvector written as a literal built in Python (text, unused, elsewhere)."""

    def db_type(self, connection: BaseDatabaseWrapper) -> str:
        return "tsvector" if connection.vendor == "postgresql" else "text"

    def get_placeholder(self, value: object, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> str:
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


class SearchQueryLog(models.Model):
    """How many readers searched a query that found something, per site and day: the candidates
    for 热词. `query` is what was searched (the parsed, normalized units), never the raw input; `hits`
    counts distinct clients (see SearchQueryClient), not requests."""

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


class SearchQueryClient(models.Model):
    """That a client has been counted for a query today, so repeating it counts once.

    `key` is an HMAC (keyed with SECRET_KEY) of the day, site, query and client address: it cannot be
    turned back into the address, nor linked across queries or days. Rows of earlier days are
    deleted as soon as the next query is logged.
    """

    day = models.DateField(db_index=True)
    key = models.CharField(max_length=64)

    class Meta:
        verbose_name = "搜索计数去重"
        verbose_name_plural = "搜索计数去重"
        constraints = [models.UniqueConstraint(fields=["day", "key"], name="search_client_unique")]

    def __str__(self) -> str:
        return f"{self.day}"


class HotWord(models.Model):
    """A 热词 candidate or decision: only approved words are shown to the public.

    Frequent queries become candidates (待审) by themselves; an editor approves (已通过) or blocks
    (已屏蔽) them, or adds a word. A platform-wide row (no site) applies to every site; a block,
    on the site or platform-wide, always wins.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "待审"
        APPROVED = "approved", "已通过"
        BLOCKED = "blocked", "已屏蔽"

    site = models.ForeignKey(
        Site,
        verbose_name="站点",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="留空则适用于全平台所有网站。",
    )
    word = models.CharField("热词", max_length=50, help_text="公众点击后按此词搜索。")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField("首次出现", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    base_form_class = SiteScopedForm
    panels = [FieldPanel("site"), FieldPanel("word"), FieldPanel("status"), FieldPanel("note")]

    class Meta:
        verbose_name = "搜索热词"
        verbose_name_plural = "搜索热词"
        ordering = ["status", "-updated_at"]
        constraints = [models.UniqueConstraint(fields=["site", "word"], name="search_hot_word_unique")]
        indexes = [models.Index(fields=["status", "site"], name="search_hot_word_status")]

    def __str__(self) -> str:
        return self.word

    def recent_searches(self) -> int:
        """Readers (distinct clients a day) who searched the word in the last 30 days: for the list."""
        since = timezone.localdate() - timedelta(days=30)
        logs = SearchQueryLog.objects.filter(query=self.word, day__gte=since)
        if self.site_id is not None:
            logs = logs.filter(site_id=self.site_id)
        return logs.aggregate(total=Sum("hits"))["total"] or 0

    recent_searches.short_description = "近30天搜索人数"  # type: ignore[attr-defined]


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
