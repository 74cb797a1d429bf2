"""What the monitor keeps: the probe address of each site and every probe made (V2, 站点无法访问), and
the outbound links found on published pages with their last check (V1 and the scored 链接可用性).

The probe address is platform configuration: only the platform administrator edits it (the probe may
reach intranet addresses, so no department may point it elsewhere).
"""

from __future__ import annotations

import hashlib

from django.core.validators import URLValidator
from django.db import models
from wagtail.models import Site

from . import fetch


class ProbeTarget(models.Model):
    """How the public reaches a site's home page, when that is not the site's own root URL
    (a reverse proxy, a CDN, an address published elsewhere)."""

    site = models.OneToOneField(
        Site, on_delete=models.CASCADE, related_name="probe_target", verbose_name="站点"
    )
    url = models.CharField(  # not URLField: its form field would guess a scheme; an address is typed whole
        "监测地址",
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        blank=True,
        help_text="公众访问首页所用的完整地址，如 https://kjt.nmg.gov.cn/；留空则使用站点本身的地址。",
    )
    enabled = models.BooleanField("启用监测", default=True)

    class Meta:
        verbose_name = "首页监测设置"
        verbose_name_plural = "首页监测设置"

    def __str__(self) -> str:
        return f"{self.site.site_name or self.site.hostname}: {self.url or self.site.root_url}"


class Probe(models.Model):
    """One visit of a site's home page: open (a 2xx within the timeout) or not, and why."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="probes", verbose_name="站点")
    at = models.DateTimeField("时间", db_index=True)
    url = models.CharField("地址", max_length=500)
    ok = models.BooleanField("可访问")
    status = models.PositiveSmallIntegerField("HTTP 状态", null=True, blank=True)
    elapsed_ms = models.PositiveIntegerField("耗时（毫秒）")
    error = models.CharField("错误", max_length=20, blank=True)
    detail = models.CharField("详情", max_length=255, blank=True)

    class Meta:
        verbose_name = "首页监测记录"
        verbose_name_plural = "首页监测记录"
        ordering = ["-at"]
        indexes = [models.Index(fields=["site", "-at"])]

    def __str__(self) -> str:
        return f"{self.site.hostname} {self.at:%Y-%m-%d %H:%M} {'正常' if self.ok else '失败'}"

    @property
    def error_label(self) -> str:
        if self.ok:
            return ""
        if self.error:
            return fetch.ERROR_LABELS.get(self.error, self.error)
        return f"HTTP {self.status}"


def url_digest(url: str) -> str:
    """A fixed-size key for an address of any length (unique indexes cannot hold 2,000 characters)."""
    return hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()


class LinkResult(models.TextChoices):
    OK = "ok", "正常"
    HTTP_ERROR = "http_error", "HTTP 错误"
    TIMEOUT = "timeout", "超时"
    DNS = "dns", "域名无法解析"
    CONNECT = "connect", "无法连接"
    NOT_PUBLIC = "not_public", "指向内网地址"
    DOMAIN_CHANGED = "domain_changed", "跳转到其他域名"
    OTHER = "other", "其他错误"


class ExternalLink(models.Model):
    """An outbound address found on a site's published pages (or handed over by another check, e.g. an
    办事指南's 在线办理 link), with the pages it is on and the result of its last check."""

    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="external_links", verbose_name="站点"
    )
    url = models.TextField("外部链接")
    digest = models.CharField(max_length=64, editable=False)
    host = models.CharField("主机", max_length=255, db_index=True)
    source = models.CharField("来源", max_length=20, default="crawl")  # crawl, or the check that asked
    pages = models.JSONField("所在页面（部分）", default=list)
    page_count = models.PositiveIntegerField("所在页面数", default=0)
    first_seen = models.DateTimeField("首次发现")
    last_seen = models.DateTimeField("最近发现", db_index=True)
    last_checked = models.DateTimeField("最近检测", null=True, blank=True)
    result = models.CharField("检测结果", max_length=20, choices=LinkResult.choices, blank=True)
    status = models.PositiveSmallIntegerField("HTTP 状态", null=True, blank=True)
    final_url = models.TextField("最终地址", blank=True)
    detail = models.CharField("详情", max_length=255, blank=True)
    failures = models.PositiveSmallIntegerField("连续失败次数", default=0)

    class Meta:
        verbose_name = "外部链接"
        verbose_name_plural = "外部链接"
        ordering = ["site", "host", "url"]
        indexes = [models.Index(fields=["digest"]), models.Index(fields=["last_checked", "first_seen"])]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "source", "digest"], name="monitoring_one_link_per_source"
            )
        ]

    def __str__(self) -> str:
        return self.url

    def save(self, *args: object, **kwargs: object) -> None:
        self.digest = url_digest(self.url)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_problem(self) -> bool:
        return bool(self.result) and self.result != LinkResult.OK


class LinkCrawl(models.Model):
    """One crawl of a site's published files: when, how much, how fast (the admin shows the last)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="link_crawls", verbose_name="站点")
    started_at = models.DateTimeField("开始时间", db_index=True)
    seconds = models.FloatField("用时（秒）")
    files = models.PositiveIntegerField("文件数")
    internal_links = models.PositiveIntegerField("站内链接数（去重）")
    broken_links = models.PositiveIntegerField("站内断链数")
    external_links = models.PositiveIntegerField("外部链接数（去重）")

    class Meta:
        verbose_name = "链接巡检记录"
        verbose_name_plural = "链接巡检记录"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.site.hostname} {self.started_at:%Y-%m-%d %H:%M}"
