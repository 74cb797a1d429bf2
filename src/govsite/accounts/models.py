"""Password history: the hashes of an account's recent passwords, and when each was set (E1)."""

from django.conf import settings
from django.db import models


class PasswordHistory(models.Model):
    """One password an account had. The newest row's `created` is when the password was last changed;
    the hashes let the history validator refuse a reused password without keeping any in clear."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField("密码摘要", max_length=256)
    created = models.DateTimeField("设置时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created:%Y-%m-%d}"
