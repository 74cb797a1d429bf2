"""`govsite publish`: rebuild the published files of one site or all sites."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm
from wagtail import hooks
from wagtail.models import Site

from govsite.publishing.jobs import rebuild_site
from govsite.publishing.publisher import Report


class Command(BaseCommand):
    help = "全量发布：把站点的全部页面（含长辈版）生成为静态文件。可并行、可断点续传。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--site", action="append", help="只发布该域名的站点（可重复）；默认全部站点")
        parser.add_argument(
            "--processes", "--jobs", dest="jobs", type=int, default=0, help="并行进程数（默认等于CPU核数）"
        )
        parser.add_argument("--resume", action="store_true", help="从上次中断处继续")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")
        # Higher apps add options (delivery: --export, --verify); publishing does not know them.
        for extension in _extensions():
            extension.add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        sites = Site.objects.order_by("-is_default_site", "hostname")
        if options["site"]:
            sites = sites.filter(hostname__in=options["site"])
            missing = set(options["site"]) - {site.hostname for site in sites}
            if missing:
                raise CommandError(f"没有这些站点：{'、'.join(sorted(missing))}")
        for extension in _extensions():
            if extension.handle(self, list(sites), options):
                return
        jobs = options["jobs"] or _cpu_count()
        total = Report()
        for site in sites:
            started = time.monotonic()
            bar = tqdm(desc=site.hostname, unit="页", disable=options["no_progress"], leave=True)

            def progress(done: int, count: int, bar: tqdm = bar) -> None:
                bar.total = count
                bar.n = done
                bar.refresh()

            report = rebuild_site(site, jobs=jobs, resume=options["resume"], progress=progress)
            bar.close()
            elapsed = time.monotonic() - started
            count = report.written + report.unchanged
            self.stdout.write(
                f"{site.hostname}：{report}，用时 {elapsed:.1f} 秒（{count / max(elapsed, 1e-6):.0f} 页/秒）"
            )
            for hostname, path, error in report.failed:
                self.stderr.write(f"  失败 {hostname}{path}：{error}")
            total.merge(report)
        if total.failed:
            raise CommandError(
                f"{len(total.failed)} 个地址发布失败，旧文件已保留。修复后可用 --resume 继续。"
            )


def _extensions() -> list[Any]:
    """Objects with add_arguments(parser) and handle(command, sites, options) -> bool (True: done)."""
    return [make() for make in hooks.get_hooks("govsite_publish_command")]


def _cpu_count() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
