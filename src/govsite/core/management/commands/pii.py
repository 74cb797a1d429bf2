"""`govsite pii keygen|rotate`: make personal-data keys; re-encrypt every stored value with the newest.

`rotate` re-encrypts each encrypted column of every model (core/crypto.py) under the first key of
GOVSITE_PII_KEYS and recomputes the lookup hashes under GOVSITE_PII_HASH_KEY. It commits per batch
and skips values the newest key wrote already, so it is safe to interrupt and run again; once it
reports nothing left to change, the older keys can be removed (docs/personal-data.md).
"""

from typing import Any

from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser

from govsite.core import crypto


class Command(BaseCommand):
    help = "个人信息加密：keygen 生成新密钥；rotate 用最新密钥重新加密全部个人信息并重算查找散列。"

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        commands.add_parser("keygen", help="生成一个新的加密密钥和一个查找散列密钥")
        commands.add_parser("rotate", help="用 GOVSITE_PII_KEYS 的第一个密钥重新加密（可中断后重跑）")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "keygen":
            self.stdout.write(f"GOVSITE_PII_KEYS={Fernet.generate_key().decode()}")
            self.stdout.write(f"GOVSITE_PII_HASH_KEY={Fernet.generate_key().decode()}")
            return
        try:
            total = sum(self.rotate(model) for model in apps.get_models() if crypto.encrypted_fields(model))
        except crypto.PIIKeyError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"完成：共更新 {total} 行。")

    def rotate(self, model: Any) -> int:
        columns = crypto.encrypted_fields(model)
        hashes = crypto.row_hashes(model, crypto.decrypt)
        done = sum(
            crypto.rewrite_columns(model, columns, lambda token, row: crypto.current_token(token), hashes)
        )
        self.stdout.write(f"{model._meta.label}: 更新 {done} 行")
        return done
