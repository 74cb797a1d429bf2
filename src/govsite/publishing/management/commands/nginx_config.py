"""`govsite nginx-config`: print an nginx.conf that serves the published sites (生产部署)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govsite.publishing.nginx import (
    nginx_dir,
    prepare_dirs,
    render_config,
    sites_from_database,
    sites_from_public_dir,
)
from govsite.publishing.redirects import write_all_redirect_maps


class Command(BaseCommand):
    help = "生成完整的 nginx 配置：每个站点一个 server，已发布页面由 nginx 直接提供，动态地址转发给应用。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--listen", default="80", help="监听端口，或 地址:端口（默认 80）")
        parser.add_argument(
            "--upstream",
            "--app",
            dest="upstream",
            default="http://127.0.0.1:8000",
            help=(
                "应用服务器地址（govsite serve），如 http://127.0.0.1:8000 或 unix:/run/govsite.sock；"
                "多个应用节点以逗号分隔：http://10.0.0.5:8000,http://10.0.0.6:8000"
            ),
        )
        parser.add_argument(
            "--web-node",
            action="store_true",
            help="外网 Web 节点（无数据库）：站点取自已发布目录，只转发公众动态地址，后台一律 404",
        )
        parser.add_argument("--no-ipv6", action="store_true", help="不监听 IPv6（[::]:端口）")
        parser.add_argument(
            "--user", default=None, help="nginx 工作进程的系统用户（以 root 启动时），如 www-data"
        )
        parser.add_argument("--output", "-o", default=None, help="写入文件而不是标准输出")

    def handle(self, *args: Any, **options: Any) -> None:
        web_node = options["web_node"]
        # A web node has no database: its sites are the published tree (redirect maps included,
        # copied with it); elsewhere the Sites of the database, their redirect maps written first.
        sites = sites_from_public_dir() if web_node else sites_from_database()
        if not sites:
            raise CommandError(
                "已发布目录中尚无站点：请先同步发布目录（GOVSITE_PUBLIC_DIR）。"
                if web_node
                else "尚无站点：请先运行 govsite demo 或 govsite add_site。"
            )
        if not web_node:
            write_all_redirect_maps()  # the redirect files each published site's server includes
        try:
            config = render_config(
                sites,
                options["listen"],
                options["upstream"],
                ipv6=not options["no_ipv6"],
                user=options["user"],
                web_node=web_node,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        prepare_dirs()
        if options["output"]:
            Path(options["output"]).write_text(config, encoding="utf-8")
            self.stderr.write(
                f"已写入 {options['output']}；启动：nginx -c {Path(options['output']).resolve()}"
            )
        else:
            self.stdout.write(config, ending="")
            self.stderr.write(f"# 日志与临时文件位于 {nginx_dir()}")
