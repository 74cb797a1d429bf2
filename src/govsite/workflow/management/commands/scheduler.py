"""`govsite scheduler`: the clock of scheduled publishing (one process, e.g. a systemd service).

It queues the due-publication check every --interval seconds; `govsite db_worker` runs it.
`--once` runs the check in this process instead (a cron line, or a platform without a worker).
"""

import contextlib
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from govsite.workflow.scheduler import INTERVAL_SECONDS, run_forever, run_once


class Command(BaseCommand):
    help = (
        "定时发布与定时下线：每隔若干秒把到期检查交给后台任务（由 govsite db_worker 执行）；"
        "--once 在本进程立即执行一次。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=INTERVAL_SECONDS)
        parser.add_argument("--once", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            run_once()
            return
        self.stdout.write(
            f"定时发布已启动，每 {options['interval']:g} 秒提交一次到期检查（由 govsite db_worker 执行）。"
            "按 Ctrl+C 停止。"
        )
        with contextlib.suppress(KeyboardInterrupt):
            run_forever(options["interval"])
