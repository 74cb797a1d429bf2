"""What an import keeps: each run with its report, one row per old address, the downloaded files and
the crawl's frontier, so that a rerun changes nothing, resumes where it stopped, and updates only
what changed on the old site (docs/import.md)."""

from __future__ import annotations

from django.db import models
from wagtail.models import Page


class ImportRun(models.Model):
    """One `govsite import` of one source into one site, with its report."""

    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    source = models.CharField("来源", max_length=1000)
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    published = models.BooleanField("直接发布", default=False)
    imported = models.PositiveIntegerField("新导入", default=0)
    updated = models.PositiveIntegerField("已更新", default=0)
    skipped = models.PositiveIntegerField("跳过", default=0)
    failed = models.PositiveIntegerField("失败", default=0)
    unmapped = models.PositiveIntegerField("未映射栏目", default=0)
    report = models.JSONField("报告", default=dict, blank=True)

    class Meta:
        verbose_name = "迁移导入"
        verbose_name_plural = "迁移导入"
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.site.hostname} {self.source}"


class ImportedPage(models.Model):
    """One old address of the site and what became of it; its hashes make a rerun skip what is done."""

    class Status(models.TextChoices):
        IMPORTED = "imported", "新导入"
        UPDATED = "updated", "已更新"
        SKIPPED = "skipped", "跳过"
        FAILED = "failed", "失败"
        UNMAPPED = "unmapped", "未映射栏目"

    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    old_url = models.CharField("原地址", max_length=1000)
    raw_hash = models.CharField(max_length=64, blank=True)  # of the page's bytes: unchanged → skip early
    content_hash = models.CharField(max_length=64, blank=True, db_index=True)  # of the extracted fields
    article = models.ForeignKey(
        Page, verbose_name="文章", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices)
    reason = models.CharField("原因", max_length=500, blank=True)
    run = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="pages")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "迁移页面"
        verbose_name_plural = "迁移页面"
        constraints = [models.UniqueConstraint(fields=["site", "old_url"], name="one_row_per_old_url")]

    def __str__(self) -> str:
        return self.old_url


class ImportedAsset(models.Model):
    """An image or attachment downloaded from the old site, reused by every page that links to it."""

    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    old_url = models.CharField(max_length=1000)
    is_image = models.BooleanField(default=False)
    object_id = models.PositiveIntegerField()  # the Wagtail image's or document's id

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "old_url"], name="one_asset_per_old_url")]

    def __str__(self) -> str:
        return self.old_url


class CrawlItem(models.Model):
    """One address of a crawl's frontier: an interrupted crawl resumes from the rows not yet done."""

    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    start_url = models.CharField(max_length=1000)
    url = models.CharField(max_length=1000)
    depth = models.PositiveSmallIntegerField(default=0)
    done = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "start_url", "url"], name="one_crawl_item_per_url")
        ]
        indexes = [models.Index(fields=["site", "start_url", "done"], name="crawl_frontier")]

    def __str__(self) -> str:
        return self.url
