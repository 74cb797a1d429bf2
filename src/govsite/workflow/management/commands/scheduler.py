"""`govsite scheduler`: run scheduled publishing in the foreground (for a systemd service)."""

import contextlib
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from govsite.workflow.scheduler import INTERVAL_SECONDS, run_forever, run_once


class Command(BaseCommand):
    help = "定时发布与定时下线：每隔若干秒执行一次到期的发布和下线（--once 只执行一次）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=INTERVAL_SECONDS)
        parser.add_argument("--once", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            run_once()
            return
        self.stdout.write(f"定时发布已启动，每 {options['interval']:g} 秒检查一次。按 Ctrl+C 停止。")
        with contextlib.suppress(KeyboardInterrupt):
            run_forever(options["interval"])
