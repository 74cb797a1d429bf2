"""`govsite demo`: load the demo platform (idempotent)."""

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from wagtail.models import Site

from govsite.demo.builder import DEMO_PASSWORD, build_demo


class Command(BaseCommand):
    help = "载入演示平台：科学技术厅网站（含种子文章）与第二个部门网站。可重复运行，不会覆盖已有内容。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--port",
            type=int,
            default=int(os.environ.get("PORT", "8000")),
            help="演示站点使用的端口（默认取 PORT 环境变量或 8000）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = build_demo(port=options["port"])
        if report.created:
            self.stdout.write(f"已创建 {len(report.created)} 项演示内容。")
        else:
            self.stdout.write("演示内容已存在，未作改动。")
        self.stdout.write("\n站点：")
        for site in Site.objects.order_by("-is_default_site", "hostname"):
            self.stdout.write(f"  {site.site_name}: {site.root_url}/")
        port = options["port"]
        self.stdout.write(f"  默认站点也可通过 http://127.0.0.1:{port}/ 访问")
        self.stdout.write(f"\n后台：http://127.0.0.1:{port}/admin/")
        self.stdout.write(f"  平台管理员 admin / {DEMO_PASSWORD}")
        self.stdout.write(f"  部门编辑 kjt-editor、jyt-editor / {DEMO_PASSWORD}")
