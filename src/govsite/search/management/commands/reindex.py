"""`govsite reindex`: rebuild the search index from the live, public pages."""

import os
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from govsite.search.backends import get_backend
from govsite.search.indexer import KINDS, reindex_all


class Command(BaseCommand):
    help = "重建站内搜索索引（只收录已发布且未设访问限制的页面）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500, help="每批写入的条数（默认 500）")
        parser.add_argument(
            "--jobs", type=int, default=os.cpu_count() or 1, help="并行分词的进程数（默认为 CPU 核数）"
        )
        parser.add_argument(
            "--background", action="store_true", help="交给后台任务执行（由 govsite db_worker 运行）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["background"]:
            from govsite.core.background import enqueue_once
            from govsite.search.tasks import reindex_task

            queued = enqueue_once(reindex_task)
            self.stdout.write("已提交后台重建索引任务。" if queued else "已有待执行的重建索引任务。")
            return
        total = sum(model.objects.live().count() for model in KINDS)
        started = time.monotonic()
        show = options["verbosity"] > 0
        tty = show and sys.stdout.isatty()
        last_shown = [0.0]

        def progress(done: int) -> None:
            now = time.monotonic()
            if not show or (now - last_shown[0] < (0.2 if tty else 5.0) and done < total):
                return
            last_shown[0] = now
            width = 30
            filled = int(width * done / total) if total else width
            bar = "#" * filled + "-" * (width - filled)
            line = f"[{bar}] {done}/{total} 页 {done / max(now - started, 1e-6):.0f} 页/秒"
            self.stdout.write(("\r" + line) if tty else line, ending="" if tty else "\n")
            self.stdout.flush()

        done = reindex_all(batch_size=options["batch_size"], progress=progress, jobs=options["jobs"])
        if tty:
            self.stdout.write("")
        elapsed = time.monotonic() - started
        size = get_backend().index_size()
        self.stdout.write(
            f"已索引 {done} 个页面，用时 {elapsed:.1f} 秒"
            + (f"，索引约 {size / 1024 / 1024:.1f} MB。" if size else "。")
        )
