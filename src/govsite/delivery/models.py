"""Publish targets (web nodes the published files are pushed to), changesets, and each target's progress.

The local directory (publishing's public_root()) stays the source of truth; a target receives copies.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.models import Site

# user@host:/path; neither part may start with "-" (it would reach ssh/rsync as an option).
RSYNC_LOCATION_RE = re.compile(
    r"^(?:[A-Za-z0-9_][A-Za-z0-9._-]*@)?[A-Za-z0-9\[][A-Za-z0-9.:\[\]-]*:/[^\s'\"]*$"
)


class Target(models.Model):
    """Where a site's published files go besides the local directory: each site is one subdirectory
    named after its hostname under `location`, exactly as under the local public root."""

    class Kind(models.TextChoices):
        DIRECTORY = "directory", "目录（本机或NFS挂载）"
        RSYNC = "rsync", "rsync（经SSH推送到网页服务器）"

    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.RSYNC)
    site = models.ForeignKey(
        Site,
        verbose_name="站点",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="留空表示全部站点。",
    )
    location = models.CharField(
        "位置",
        max_length=500,
        help_text="目录：绝对路径，如 /srv/www/；rsync：用户@主机:/路径/，如 www@10.0.0.5:/srv/www/。"
        "其下每个站点一个以域名命名的子目录。",
    )
    ssh_port = models.PositiveIntegerField("SSH端口", default=22)
    ssh_key = models.CharField("SSH私钥文件", max_length=500, blank=True, help_text="本机上的私钥文件路径。")
    ssh_known_hosts = models.CharField(
        "known_hosts文件",
        max_length=500,
        blank=True,
        help_text="记录目标主机公钥的文件；留空则使用运行账号的 ~/.ssh/known_hosts。",
    )
    enabled = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "发布目标"
        verbose_name_plural = "发布目标"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        location = self.location.strip()
        if self.kind == self.Kind.DIRECTORY and not location.startswith("/"):
            raise ValidationError({"location": "目录类型的位置必须是绝对路径，如 /srv/www/。"})
        if self.kind == self.Kind.RSYNC and not RSYNC_LOCATION_RE.match(location):
            raise ValidationError(
                {"location": "rsync 类型的位置应形如 用户@主机:/路径/，路径必须是绝对路径。"}
            )
        for field in ("ssh_key", "ssh_known_hosts"):
            value = getattr(self, field).strip()
            if value and not value.startswith("/"):
                raise ValidationError({field: "请填写绝对路径。"})
        self.location = location


class Changeset(models.Model):
    """What one publish changed on a site: relative path → sha256 of the new file, or None (removed).
    `whole_site` after a full rebuild (the manifest is then empty: every file may have changed)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    sequence = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    whole_site = models.BooleanField(default=False)
    manifest = models.JSONField(default=dict)

    class Meta:
        verbose_name = "发布变更"
        verbose_name_plural = "发布变更"
        constraints = [
            models.UniqueConstraint(fields=["site", "sequence"], name="delivery_changeset_sequence")
        ]
        ordering = ["site", "sequence"]

    def __str__(self) -> str:
        return f"{self.site.hostname} #{self.sequence}"


class TargetState(models.Model):
    """How far a target is for one site: the last changeset applied there, and the last error."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="states")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    applied_sequence = models.PositiveIntegerField("已应用到", default=0)
    synced = models.BooleanField("已全量同步", default=False)
    last_error = models.TextField("最近错误", blank=True)
    last_attempt = models.DateTimeField("最近尝试", null=True, blank=True)
    last_success = models.DateTimeField("最近成功", null=True, blank=True)

    class Meta:
        verbose_name = "发布目标进度"
        verbose_name_plural = "发布目标进度"
        constraints = [models.UniqueConstraint(fields=["target", "site"], name="delivery_state_target_site")]

    def __str__(self) -> str:
        return f"{self.target} / {self.site.hostname}"
