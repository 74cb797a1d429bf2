"""`govsite dormant_accounts`: list (and with --disable, disable) accounts unused for 90 days (E5)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from govsite.accounts.policy import dormant_accounts
from govsite.accounts.services import disable_dormant_accounts


class Command(BaseCommand):
    help = "列出（或用 --disable 停用）长期未登录的账号"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--disable", action="store_true", help="停用列出的账号")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["disable"]:
            for username in disable_dormant_accounts():
                self.stdout.write(f"已停用：{username}")
            return
        for user in dormant_accounts().order_by("username"):
            last = f"{user.last_login:%Y-%m-%d}" if user.last_login else "从未登录"
            self.stdout.write(f"{user.get_username()}\t{last}")
