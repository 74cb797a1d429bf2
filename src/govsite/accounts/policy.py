"""The account rules of 等保 level 3 (E1, E2, E4, E5), each a setting with the assessors' default."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import PasswordHistory

User = AbstractBaseUser | AnonymousUser


def is_reserved_username(username: str) -> bool:
    """`admin`, `root` and the like are the first names an attacker tries (E5: no default accounts)."""
    name = username.strip().lower()
    return name in {reserved.lower() for reserved in settings.GOVSITE_RESERVED_USERNAMES}


RESERVED_USERNAME_MESSAGE = "该用户名为系统保留名称（如 admin、root），请使用其他用户名。"


def reserved_username_validator(value: str) -> None:
    if is_reserved_username(value):
        raise ValidationError(RESERVED_USERNAME_MESSAGE, code="reserved_username")


def reaches_admin(user: Any) -> bool:
    """Who can open the admin: exactly the accounts the second factor and the admin rules apply to."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or user.has_perm("wagtailadmin.access_admin"))


def needs_second_factor(user: Any) -> bool:
    return bool(settings.GOVSITE_TWO_FACTOR) and reaches_admin(user)


def password_set_at(user: Any) -> datetime:
    """When the account's password was last set: its newest history row, else when it was created."""
    latest = PasswordHistory.objects.filter(user=user).values_list("created", flat=True).first()
    set_at: datetime = latest or user.date_joined
    return set_at


def password_expired(user: Any, now: datetime | None = None) -> bool:
    """The password is older than GOVSITE_PASSWORD_MAX_AGE_DAYS (0 switches expiry off)."""
    days = settings.GOVSITE_PASSWORD_MAX_AGE_DAYS
    if days <= 0 or not user.has_usable_password():
        return False
    return (now or timezone.now()) - password_set_at(user) > timedelta(days=days)


def dormant_accounts(now: datetime | None = None) -> "QuerySet[Any]":
    """Active accounts nobody has logged in to for GOVSITE_DORMANT_DAYS (never-used ones counted from
    their creation): E5's redundant and expired accounts."""
    from django.contrib.auth import get_user_model

    since = (now or timezone.now()) - timedelta(days=settings.GOVSITE_DORMANT_DAYS)
    never_used = Q(last_login__isnull=True, date_joined__lt=since)
    return get_user_model().objects.filter(is_active=True).filter(Q(last_login__lt=since) | never_used)
