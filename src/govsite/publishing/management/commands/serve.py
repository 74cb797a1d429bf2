"""`govsite serve`: the embedded server (granian) for a platform without nginx in front.

Published pages come from files (govsite.publishing.server); dynamic addresses from Django. The
same command serves the demo (`make run`) and a small production installation.
"""

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from govsite.publishing.layout import public_root

TARGET = "govsite.publishing.server:application"


class Command(BaseCommand):
    help = "启动内置网站服务器（granian）：已发布页面直接从文件读取，动态地址交由应用处理。"
    requires_system_checks = []  # start even when the database is down: files do not need it

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
        parser.add_argument(
            "--port",
            type=int,
            default=int(os.environ.get("PORT", "8000")),
            help="端口（默认取 PORT 或 8000）",
        )
        parser.add_argument("--workers", type=int, default=2, help="工作进程数（默认 2）")
        parser.add_argument(
            "--threads",
            type=int,
            default=4,
            # Fewer threads hand the GIL around less (files are answered faster); enough of them that
            # a slow dynamic request does not hold up its worker's pages (docs/static-publishing.md).
            help="每个工作进程的 Python 线程数（默认 4；granian 自己的默认值是数百个）",
        )
        parser.add_argument("--access-log", action="store_true", help="输出访问日志")

    def handle(self, *args: Any, **options: Any) -> None:
        from granian.constants import Interfaces
        from granian.log import LogLevels
        from granian.server import Server

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.settings")
        root = public_root()
        sites = (
            sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
            if root.is_dir()
            else []
        )
        host, port = options["host"], options["port"]
        shown = f"[{host}]" if ":" in host else host
        self.stdout.write(f"内置服务器：http://{shown}:{port}/（{options['workers']} 个工作进程）")
        if sites:
            self.stdout.write(f"已发布站点（{root}）：{'、'.join(sites)}")
        else:
            self.stdout.write(f"{root} 下尚无已发布的站点：页面由应用动态生成。")
        self.stdout.flush()
        Server(
            TARGET,
            address=host,
            port=port,
            interface=Interfaces.WSGI,
            workers=options["workers"],
            # A worker that dies (killed, out of memory) is replaced; by default granian stops the whole
            # server, and every visitor gets "connection refused" (bench/message_submissions.py).
            respawn_failed_workers=True,
            blocking_threads=options["threads"],
            websockets=False,
            log_access=options["access_log"],
            log_level=LogLevels.warning if settings.DEBUG is False else LogLevels.info,
        ).serve()
