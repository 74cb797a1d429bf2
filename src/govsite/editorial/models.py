"""站内信: what waits for an editor or reviewer, shown in the admin (消息) until they read it.

A message names a page by title and links to its admin address; it holds no personal data beyond
the names of the colleagues involved. Recipients are always people of the page's own department
(its review groups, its author), so a message never crosses departments.
"""

from django.conf import settings
from django.db import models
from wagtail.models import Page


class Notification(models.Model):
    class Kind(models.TextChoices):
        REVIEW = "review", "待审核"
        REJECTED = "rejected", "被退回"
        APPROVED = "approved", "已通过"
        PUBLISHED = "published", "已发布"
        DISCLOSURE = "disclosure", "依申请公开"
        STALE = "stale", "栏目更新提醒"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="收件人", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    page = models.ForeignKey(
        Page, verbose_name="稿件", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.CharField("内容", max_length=400)
    link = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内信"
        verbose_name_plural = "站内信"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.text


class ColumnReminder(models.Model):
    """A stale-column reminder sent: one per column and deadline, so the daily job reminds once (a new
    item moves the deadline, which is reminded of again when it nears)."""

    column = models.ForeignKey(Page, verbose_name="栏目", on_delete=models.CASCADE, related_name="+")
    deadline = models.DateField("更新期限")
    sent_at = models.DateTimeField("提醒时间", auto_now_add=True)

    class Meta:
        verbose_name = "栏目更新提醒"
        verbose_name_plural = "栏目更新提醒"
        constraints = [
            models.UniqueConstraint(fields=["column", "deadline"], name="one_reminder_per_column_deadline")
        ]

    def __str__(self) -> str:
        return f"{self.column_id} {self.deadline}"
