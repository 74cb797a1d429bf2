"""`govsite create-admins`: the first 系统管理员, 安全管理员 and 审计管理员 (三员分立, docs/audit-trail.md).

Creates the three role groups and one account in each. Passwords are prompted for on a terminal
(`--generate` makes random ones and prints them once); none of the accounts is a superuser.
"""

import getpass
import secrets
import string
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from govsite.core.roles import AUDIT_ADMIN, SECURITY_ADMIN, SYSTEM_ADMIN, ensure_roles

DEFAULT_NAMES = {SYSTEM_ADMIN: "sys-officer", SECURITY_ADMIN: "sec-officer", AUDIT_ADMIN: "audit-officer"}
OPTIONS = {SYSTEM_ADMIN: "system", SECURITY_ADMIN: "security", AUDIT_ADMIN: "auditor"}


def generated_password(length: int = 20) -> str:
    """Random, and meeting the platform's rules (three character classes at least)."""
    alphabet = string.ascii_letters + string.digits + "-_.!@#%"
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(length))
        classes = [
            any(c in group for c in password)
            for group in (string.ascii_lowercase, string.ascii_uppercase, string.digits)
        ]
        if all(classes):
            return password


class Command(BaseCommand):
    help = "创建三员分立的首批账号：系统管理员、安全管理员、审计管理员（均非超级管理员）。"

    def add_arguments(self, parser: CommandParser) -> None:
        for role, option in OPTIONS.items():
            parser.add_argument(f"--{option}", default=DEFAULT_NAMES[role], help=f"{role}的用户名")
        parser.add_argument("--generate", action="store_true", help="生成随机密码并显示一次，而不是逐个输入")

    def handle(self, *args: Any, **options: Any) -> None:
        user_model = get_user_model()
        names = {role: options[option] for role, option in OPTIONS.items()}
        taken = [name for name in names.values() if user_model.objects.filter(username=name).exists()]
        if taken:
            raise CommandError(
                f"用户名已存在：{'、'.join(taken)}。请用 --system/--security/--auditor 另选用户名。"
            )
        passwords = {role: self.password_for(role, name, options["generate"]) for role, name in names.items()}
        with transaction.atomic():
            groups = ensure_roles()
            for role, name in names.items():
                user = user_model.objects.create_user(username=name, password=passwords[role])
                user.groups.add(groups[role])
        for role, name in names.items():
            shown = f"，密码：{passwords[role]}" if options["generate"] else ""
            self.stdout.write(f"{role}：{name}{shown}")
        if options["generate"]:
            self.stdout.write("请立即记下密码并分别交给三位管理员；密码不会再次显示。")

    def password_for(self, role: str, name: str, generate: bool) -> str:
        if generate:
            return generated_password()
        user = get_user_model()(username=name)
        for _attempt in range(3):
            password = getpass.getpass(f"{role} {name} 的密码：")
            if password != getpass.getpass("再次输入："):
                self.stderr.write("两次输入的密码不一致。")
                continue
            try:
                validate_password(password, user)
            except ValidationError as exc:
                self.stderr.write("；".join(exc.messages))
                continue
            return password
        raise CommandError(f"未能设置{role}的密码。")
