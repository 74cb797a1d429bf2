"""`govsite demo`: load the demo platform (idempotent), optionally with large generated sites."""

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from wagtail.models import Site

from govsite.citizens.demo import DEMO_PUBLIC_LOGIN, DEMO_PUBLIC_PASSWORD
from govsite.demo.builder import DEMO_PASSWORD, build_demo
from govsite.demo.generator import GenerateReport, department_names, generate
from govsite.workflow.demo import DEMO_REVIEWERS


class Command(BaseCommand):
    help = "载入演示平台：科学技术厅网站（含种子文章）与第二个部门网站。可重复运行，不会覆盖已有内容。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--port",
            type=int,
            default=int(os.environ.get("PORT", "8000")),
            help="演示站点使用的端口（默认取 PORT 环境变量或 8000）",
        )
        parser.add_argument(
            "--articles",
            type=int,
            default=0,
            help="另外生成部门网站（gen1.localhost …），使其共有 N 篇示例文章；重复运行只补足差额",
        )
        parser.add_argument(
            "--sites",
            type=int,
            default=5,
            help=f"生成的部门网站数（1–{len(department_names())}，默认 5）",
        )
        parser.add_argument("--seed", type=int, default=1, help="随机种子：同一种子生成相同的内容（默认 1）")

    def handle(self, *args: Any, **options: Any) -> None:
        report = build_demo(port=options["port"])
        if report.created:
            self.stdout.write(f"已创建 {len(report.created)} 项演示内容。")
        else:
            self.stdout.write("演示内容已存在，未作改动。")
        if options["articles"] > 0:
            self.generate(options)
        self.stdout.write("\n站点：")
        for site in Site.objects.order_by("-is_default_site", "hostname"):
            self.stdout.write(f"  {site.site_name}: {site.root_url}/")
        port = options["port"]
        self.stdout.write(f"  默认站点也可通过 http://127.0.0.1:{port}/ 访问")
        self.stdout.write(f"\n后台：http://127.0.0.1:{port}/admin/")
        self.stdout.write(f"  平台管理员 admin / {DEMO_PASSWORD}")
        self.stdout.write(f"  部门编辑 kjt-editor、jyt-editor / {DEMO_PASSWORD}")
        reviewers = "、".join(f"{username}（{step}）" for username, step in DEMO_REVIEWERS)
        self.stdout.write(f"  科学技术厅三审 {reviewers} / {DEMO_PASSWORD}")
        self.stdout.write("  科学技术厅网站管理员 kjt-siteadmin（栏目授权、审核流程设置）")
        self.stdout.write("  “保密审查”组：kjt-reviewer1、kjt-reviewer2（全部审核通过）")
        self.stdout.write("  栏目编辑 kjt-news-editor：只能在“科技动态”及其下级栏目中编写稿件")
        self.stdout.write("  栏目审核流程：政务公开 4 步（初审→复审→保密审查→终审），工作动态 2 步")
        self.stdout.write(
            f"\n公众账号（前台“登录”）：{DEMO_PUBLIC_LOGIN} / {DEMO_PUBLIC_PASSWORD}（我的申请、我的纠错）"
        )

    def generate(self, options: dict[str, Any]) -> None:
        def progress(done: int, total: int, seconds: float) -> None:
            if options["verbosity"] >= 1 and (done % 20_000 < 2_000 or done == total):
                self.stdout.write(f"  已写入 {done}/{total} 篇（{done / max(seconds, 1e-6):.0f} 篇/秒）")

        report: GenerateReport = generate(
            options["articles"],
            sites=options["sites"],
            seed=options["seed"],
            port=options["port"],
            progress=progress,
        )
        for site in report.sites_created:
            self.stdout.write(f"已生成站点：{site}")
        if report.columns_created:
            self.stdout.write(f"已生成栏目 {report.columns_created} 个。")
        if report.articles_created:
            self.stdout.write(
                f"已生成文章 {report.articles_created} 篇（原有 {report.articles_before} 篇），"
                f"写入用时 {report.insert_seconds:.1f} 秒（{report.rate:.0f} 篇/秒，"
                f"本进程 CPU {report.insert_cpu_seconds:.1f} 秒），"
                f"总用时 {report.seconds:.1f} 秒。静态文件请运行 govsite publish 生成。"
            )
        else:
            self.stdout.write(
                f"生成站点已有 {report.articles_before} 篇文章（≥ {options['articles']}），未新增文章。"
            )
