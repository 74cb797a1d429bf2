"""`govsite import SOURCE --site HOST [--mapping FILE] [--propose-mapping] [--dry-run] [--publish]
[--limit N] [--no-progress]`: 迁移 an old site's pages into a department site (docs/import.md).

Exit status: 0 when no page failed, 2 when some did (the report lists them; a rerun retries them),
1 for bad usage (unknown host, unreadable source or mapping file).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm
from wagtail.models import Site

from govsite.legacy.columns import ColumnMapping, MappingError, read_mapping
from govsite.legacy.importer import Importer
from govsite.legacy.proposal import propose_mapping
from govsite.legacy.sources import SourcePage, open_source

EXIT_FAILED_PAGES = 2


class Command(BaseCommand):
    help = "网站迁移：把原网站的页面（wget 镜像目录，或 sitemap/起始网址）导入为本站文章。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", metavar="SOURCE", help="镜像目录，或 http(s) 的 sitemap/起始网址")
        parser.add_argument("--site", metavar="HOST", required=True, help="导入到该域名的站点")
        parser.add_argument("--mapping", metavar="FILE", help="栏目映射文件（原地址前缀 = 本站栏目路径）")
        parser.add_argument(
            "--propose-mapping",
            action="store_true",
            help="只生成栏目映射建议，写入 --mapping 指定的文件（默认 mapping.txt），不导入",
        )
        parser.add_argument(
            "--base-url", default="", help="镜像目录对应的原网站地址（默认取 wget 的域名目录）"
        )
        parser.add_argument("--dry-run", action="store_true", help="试运行：只输出报告，不写入任何内容")
        parser.add_argument("--publish", action="store_true", help="直接发布（不经三审，记入审计日志）")
        parser.add_argument("--limit", type=int, metavar="N", help="最多处理 N 个页面")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args: Any, **options: Any) -> None:
        site = Site.objects.filter(hostname=options["site"]).first()
        if site is None:
            raise CommandError(f"没有域名为 {options['site']} 的站点。")
        try:
            source = open_source(site, options["source"], options["base_url"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        bar = tqdm(total=source.total(), unit="页", file=sys.stderr, disable=options["no_progress"])

        def step(page: SourcePage) -> None:
            bar.update(1)

        if options["propose_mapping"]:
            target = Path(options["mapping"] or "mapping.txt")
            if target.exists():
                raise CommandError(
                    f"映射文件 {target} 已存在，为免覆盖已编辑的映射，请换一个文件名或先删除它。"
                )
            text, pages = propose_mapping(site, source, limit=options["limit"], progress=step)
            bar.close()
            target.write_text(text, encoding="utf-8")
            self.stdout.write(
                f"已根据 {pages} 篇文章生成栏目映射建议：{target}（编辑后用 --mapping {target} 导入）"
            )
            return
        mapping = self.mapping(options["mapping"])
        importer = Importer(
            site,
            source,
            mapping,
            dry_run=options["dry_run"],
            publish=options["publish"],
            limit=options["limit"],
            progress=step,
        )
        try:
            report = importer.execute()
        except KeyboardInterrupt:
            bar.close()
            self.stderr.write(importer.report.as_text())
            sys.exit(130)
        bar.close()
        self.stdout.write(report.as_text())
        if importer.run is not None:
            self.stdout.write(f"\n导入记录编号：{importer.run.pk}")
        if report.counts["failed"]:
            sys.exit(EXIT_FAILED_PAGES)

    def mapping(self, path: str | None) -> ColumnMapping:
        if not path:
            return ColumnMapping()
        try:
            return read_mapping(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"无法读取映射文件 {path}：{exc.strerror or exc}") from exc
        except (MappingError, UnicodeDecodeError) as exc:
            raise CommandError(str(exc)) from exc
