"""Password history (E1): a new password may not be any of the account's last N passwords."""

from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

from .models import PasswordHistory


class PasswordHistoryValidator:
    """Refuses the last `count` passwords (default GOVSITE_PASSWORD_HISTORY), and records each new one.

    Django calls password_changed() when a user with a new password is saved, whichever way the
    password was set (admin, account page, reset, shell): the history is complete by construction.
    """

    def __init__(self, count: int | None = None) -> None:
        self.count = settings.GOVSITE_PASSWORD_HISTORY if count is None else count

    def recent(self, user: Any) -> list[str]:
        if user is None or user.pk is None or self.count <= 0:
            return []
        return list(
            PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[: self.count]
        )

    def validate(self, password: str, user: Any = None) -> None:
        if any(check_password(password, old) for old in self.recent(user)):
            raise ValidationError(
                "新密码不能与最近使用过的%(n)d个密码相同。", code="password_reused", params={"n": self.count}
            )

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is not None and user.pk is not None:
            PasswordHistory.objects.create(user=user, password=user.password)
            keep = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[
                : max(self.count, 1)
            ]
            PasswordHistory.objects.filter(user=user).exclude(pk__in=list(keep)).delete()

    def get_help_text(self) -> str:
        return f"新密码不能与最近使用过的{self.count}个密码相同。"
