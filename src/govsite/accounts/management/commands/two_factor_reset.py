"""`govsite two_factor_reset USER`: forget an account's authenticator and recovery codes (lost phone)."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp import devices_for_user

from govsite.accounts.events import record_security_event


class Command(BaseCommand):
    help = "清除账号的身份验证器和恢复码（手机丢失时）；该账号下次登录时重新绑定"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"没有用户 {options['username']}。")
        removed = 0
        for device in list(devices_for_user(user, confirmed=None)):
            device.delete()
            removed += 1
        record_security_event("two_factor_reset", user=user, devices=removed)
        self.stdout.write(
            f"已清除 {user.get_username()} 的 {removed} 个验证设备；下次登录时须重新绑定身份验证器。"
        )
