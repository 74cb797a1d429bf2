"""The public's side of the platform: optional public accounts and 我为政府网站找错 reports.

A `PublicAccount` is deliberately not a Django `User`: it has no `is_staff`, no groups and no
permissions, no authentication backend knows it, and its session key is its own (accounts.py). Nothing
that checks `request.user` (the admin, Wagtail's permission policies) can ever see one.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.utils.crypto import salted_hmac
from wagtail.models import Site


class LoginKind(models.TextChoices):
    PHONE = "phone", "手机号码"
    EMAIL = "email", "电子邮箱"


class PublicAccount(models.Model):
    """A member of the public who chose to register: the login is a mobile number or an e-mail address."""

    login = models.CharField("登录名", max_length=254, unique=True)
    kind = models.CharField("登录方式", max_length=10, choices=LoginKind.choices)
    display_name = models.CharField("称呼", max_length=50, blank=True)
    password = models.CharField(max_length=128, editable=False)
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField("注册时间", auto_now_add=True)
    last_login = models.DateTimeField("最近登录", null=True, blank=True)

    class Meta:
        verbose_name = "公众账号"
        verbose_name_plural = "公众账号"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.login

    # Read by Django's UserAttributeSimilarityValidator (the password may not resemble the login).
    @property
    def username(self) -> str:
        return self.login

    @property
    def email(self) -> str:
        return self.login if self.kind == LoginKind.EMAIL else ""

    def set_password(self, raw: str) -> None:
        self.password = make_password(raw)

    def check_password(self, raw: str) -> bool:
        def upgrade(raw_password: str) -> None:
            self.set_password(raw_password)
            self.save(update_fields=["password"])

        return check_password(raw, self.password, upgrade)

    def session_hash(self) -> str:
        """Changes with the password: a password change ends every other session of the account."""
        return salted_hmac("govsite.citizens.session", self.password, algorithm="sha256").hexdigest()


class ErrorType(models.TextChoices):
    TYPO = "typo", "错别字或表述错误"
    LINK = "link", "链接无法打开或指向错误"
    OUTDATED = "outdated", "内容过期或不准确"
    FILE = "file", "图片、附件或视频无法查看"
    ACCESSIBILITY = "accessibility", "无障碍或显示问题"
    OTHER = "other", "其他问题"


class ReportStatus(models.TextChoices):
    NEW = "new", "待处理"
    ACCEPTED = "accepted", "已受理"
    FIXED = "fixed", "已修正"
    REJECTED = "rejected", "不予采纳"


CLOSED_STATUSES = (ReportStatus.FIXED, ReportStatus.REJECTED)


class ErrorReport(models.Model):
    """One 我为政府网站找错 report about one page, for the site that owns the page."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="error_reports")
    page_url = models.CharField("网页地址", max_length=2000)
    error_type = models.CharField("错误类型", max_length=20, choices=ErrorType.choices)
    description = models.TextField("问题描述")
    contact = models.CharField("联系方式", max_length=100, blank=True)
    account = models.ForeignKey(
        PublicAccount,
        verbose_name="公众账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="error_reports",
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    received_on = models.DateField("收到日期")
    # Null when the holidays of the year are not known yet (the clock refuses to guess).
    due_on = models.DateField("办理期限", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=ReportStatus.choices, default=ReportStatus.NEW)
    reply = models.TextField("处理意见", blank=True)
    handled_on = models.DateField("办结日期", null=True, blank=True)
    handled_by = models.ForeignKey(
        "auth.User", verbose_name="处理人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "网站找错"
        verbose_name_plural = "网站找错"
        ordering = ["-created_at", "-pk"]
        permissions = [("handle_errorreport", "处理网站找错")]

    def __str__(self) -> str:
        # The audit log's label: the number only, never the reporter's contact.
        return self.number

    @property
    def number(self) -> str:
        return f"JC-{self.received_on:%Y}-{self.pk:06d}" if self.pk else "JC-（未保存）"

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES

    def is_overdue(self, today: dt.date) -> bool:
        return self.is_open and self.due_on is not None and today > self.due_on
