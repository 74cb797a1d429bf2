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
# S3 bucket naming rules: 3-63 characters, lower-case letters, digits, "." and "-", starting and ending
# with a letter or digit, no "..", not shaped like an IP address.
BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
IP_ADDRESS_RE = re.compile(r"^\d+\.\d+\.\d+\.\d+$")
ENDPOINT_RE = re.compile(r"^https?://[A-Za-z0-9\[][A-Za-z0-9.:\[\]-]*(?::\d+)?/?$")
ENV_NAME_RE = re.compile(r"^[A-Z_][A-Z0-9_]*$")
ENV_NAME_MESSAGE = "请填写环境变量名，只含大写字母、数字和下划线，如 GOVSITE_S3_SECRET_ACCESS_KEY。"
# Keys of S3 objects: no leading "/", no "..", no control characters or backslashes.
PREFIX_RE = re.compile(r"^(?:[A-Za-z0-9._-]+/)*$")


def bucket_error(bucket: str) -> str:
    """Why a bucket name breaks S3's naming rules, or "" (MinIO applies the same rules)."""
    if not BUCKET_RE.match(bucket) or ".." in bucket or ".-" in bucket or "-." in bucket:
        return "存储桶名称须为3至63个字符，只含小写字母、数字、“.”和“-”，且以字母或数字开头和结尾。"
    if IP_ADDRESS_RE.match(bucket):
        return "存储桶名称不能是IP地址的形式。"
    return ""


class Target(models.Model):
    """Where a site's published files go besides the local directory: each site is one subdirectory
    named after its hostname under `location`, exactly as under the local public root."""

    class Kind(models.TextChoices):
        DIRECTORY = "directory", "目录（本机或NFS挂载）"
        RSYNC = "rsync", "rsync（经SSH推送到网页服务器）"
        S3 = "s3", "S3兼容对象存储（如MinIO，CDN源站）"

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
        blank=True,
        help_text="目录：绝对路径，如 /srv/www/；rsync：用户@主机:/路径/，如 www@10.0.0.5:/srv/www/。"
        "其下每个站点一个以域名命名的子目录。S3类型不填。",
    )
    ssh_port = models.PositiveIntegerField("SSH端口", default=22)
    ssh_key = models.CharField("SSH私钥文件", max_length=500, blank=True, help_text="本机上的私钥文件路径。")
    ssh_known_hosts = models.CharField(
        "known_hosts文件",
        max_length=500,
        blank=True,
        help_text="记录目标主机公钥的文件；留空则使用运行账号的 ~/.ssh/known_hosts。",
    )
    s3_endpoint = models.CharField(
        "S3服务地址",
        max_length=300,
        blank=True,
        help_text="http:// 或 https:// 开头，如 https://minio.example.gov.cn:9000；留空则使用AWS S3。",
    )
    s3_bucket = models.CharField("存储桶", max_length=63, blank=True)
    s3_prefix = models.CharField(
        "对象键前缀",
        max_length=200,
        blank=True,
        help_text="如 www/；对象键为 前缀+域名/文件路径。留空则直接以域名开头。",
    )
    s3_region = models.CharField("区域", max_length=50, blank=True, default="us-east-1")
    s3_access_key_id = models.CharField("访问密钥ID（Access Key ID）", max_length=128, blank=True)
    s3_secret_env = models.CharField(
        "保存访问密钥的环境变量",
        max_length=100,
        blank=True,
        default="GOVSITE_S3_SECRET_ACCESS_KEY",
        help_text="密钥（Secret Access Key）不保存在数据库中：在运行发布任务的服务器上设置此环境变量。",
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
        if self.kind == self.Kind.S3:
            self.clean_s3()
        elif self.kind == self.Kind.DIRECTORY and not location.startswith("/"):
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

    def clean_s3(self) -> None:
        """The S3 fields: a valid bucket name, an http(s) endpoint, a key prefix ending in "/"."""
        errors: dict[str, str] = {}
        self.s3_endpoint = self.s3_endpoint.strip()
        self.s3_bucket = self.s3_bucket.strip()
        self.s3_prefix = self.s3_prefix.strip().lstrip("/")
        if self.s3_prefix and not self.s3_prefix.endswith("/"):
            self.s3_prefix += "/"
        if self.s3_endpoint and not ENDPOINT_RE.match(self.s3_endpoint):
            errors["s3_endpoint"] = (
                "S3服务地址应以 http:// 或 https:// 开头，如 https://minio.example.gov.cn:9000。"
            )
        message = bucket_error(self.s3_bucket) if self.s3_bucket else "请填写存储桶名称。"
        if message:
            errors["s3_bucket"] = message
        if not PREFIX_RE.match(self.s3_prefix) or "/../" in f"/{self.s3_prefix}":
            errors["s3_prefix"] = "对象键前缀只能包含字母、数字、“.”“_”“-”和分隔符“/”。"
        if not self.s3_access_key_id.strip():
            errors["s3_access_key_id"] = "请填写访问密钥ID。"
        if not ENV_NAME_RE.match(self.s3_secret_env.strip()):
            errors["s3_secret_env"] = ENV_NAME_MESSAGE
        if errors:
            raise ValidationError(errors)
        self.s3_access_key_id = self.s3_access_key_id.strip()
        self.s3_secret_env = self.s3_secret_env.strip()


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
