"""Stored inspections: one run per site and time, its rule results and findings, kept as history for
the dashboard's trends (docs/inspection.md)."""

from __future__ import annotations

from django.db import models
from wagtail.models import Page, Site

from .rules import Kind, Status


class InspectionRun(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="inspections", verbose_name="站点")
    started_at = models.DateTimeField("开始时间", db_index=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    trigger = models.CharField("触发方式", max_length=20, default="manual")  # manual | nightly | command
    vetoed = models.BooleanField("单项否决", default=False)
    score = models.PositiveSmallIntegerField("得分", null=True, blank=True)

    class Meta:
        verbose_name = "体检记录"
        verbose_name_plural = "体检记录"
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["site", "-started_at"])]
        # The platform office's ranking of every site (the 集约化平台 管理员); a department sees its own.
        permissions = [("view_cluster", "查看全部站点的网站体检排名")]

    def __str__(self) -> str:
        return f"{self.site.site_name} {self.started_at:%Y-%m-%d %H:%M}"


class RuleResult(models.Model):
    """A rule's verdict in one run: the traffic light of the dashboard."""

    run = models.ForeignKey(InspectionRun, on_delete=models.CASCADE, related_name="results")
    rule = models.CharField("规则", max_length=20)
    kind = models.CharField("类别", max_length=10, choices=[(k.value, k.value) for k in Kind])
    status = models.CharField("结果", max_length=10, choices=[(s.value, s.value) for s in Status])
    measured = models.CharField("检测值", max_length=255, blank=True)
    findings_count = models.PositiveIntegerField("问题数", default=0)

    class Meta:
        verbose_name = "规则结果"
        verbose_name_plural = "规则结果"
        constraints = [models.UniqueConstraint(fields=["run", "rule"], name="inspection_one_result_per_rule")]

    def __str__(self) -> str:
        return f"{self.rule} {self.status}"


class Finding(models.Model):
    """One problem found by a rule in one run (the worklist)."""

    run = models.ForeignKey(InspectionRun, on_delete=models.CASCADE, related_name="findings")
    rule = models.CharField("规则", max_length=20, db_index=True)
    key = models.CharField("问题标识", max_length=255)
    message = models.CharField("问题", max_length=500)
    evidence = models.TextField("依据", blank=True)
    url = models.CharField("地址", max_length=2000, blank=True)
    page = models.ForeignKey(Page, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    fix = models.TextField("整改建议", blank=True)

    class Meta:
        verbose_name = "体检问题"
        verbose_name_plural = "体检问题"
        ordering = ["rule", "key"]
        indexes = [models.Index(fields=["run", "rule"])]

    def __str__(self) -> str:
        return f"{self.rule} {self.message}"
