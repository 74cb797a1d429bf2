"""`govsite load_starter_words`: add the starter 错敏词库 to the platform-wide rules."""

from typing import Any

from django.core.management.base import BaseCommand

from govsite.checks.starter import load_starter_words, starter_words


class Command(BaseCommand):
    help = "载入内置的错敏词库（全平台适用）；已有词条不会被覆盖，可重复运行。"

    def handle(self, *args: Any, **options: Any) -> None:
        added = load_starter_words()
        self.stdout.write(f"内置错敏词库共 {len(starter_words())} 条，本次新增 {added} 条。")
