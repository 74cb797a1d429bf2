"""`govsite otp-code USER`: the current second-factor code of a demo account, for `make run`."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govsite.demo.twofactor import NotADemoDevice, demo_code


class Command(BaseCommand):
    help = "显示演示账号当前的动态验证码（仅限演示数据创建的身份验证器）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.stdout.write(demo_code(options["username"]))
        except NotADemoDevice:
            raise CommandError(
                f"{options['username']} 没有演示数据创建的身份验证器：本命令只显示演示账号的验证码。"
            ) from None
