"""`govsite inspect [--site HOST] [--format text|json]`: run the 网站体检 now and store it with the history.

Exit status: 0 when every inspected site is 合格, 2 when any is 不合格 (a veto item failed, or the
score is below 60), so that a CI job or a cron mail can act on it; 1 for bad usage (unknown host).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm
from wagtail.models import Site

from govsite.inspection.rules import Rule, all_rules
from govsite.inspection.runner import Progress, inspect_site, passed
from govsite.inspection.summary import run_as_dict, run_as_text

EXIT_NOT_PASSED = 2


class Command(BaseCommand):
    help = "网站体检：按国办秘函〔2019〕19号等检查指标检查站点，保存结果并输出报告。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--site", metavar="HOST", help="只检查该域名的站点（默认检查全部站点）")
        parser.add_argument("--format", choices=["text", "json"], default="text", help="输出格式")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args: Any, **options: Any) -> None:
        sites = list(Site.objects.order_by("hostname"))
        if options["site"]:
            sites = [site for site in sites if site.hostname == options["site"]]
            if not sites:
                raise CommandError(f"没有域名为 {options['site']} 的站点。")
        reports = []
        rule_count = len(all_rules())
        for site in sites:
            bar = tqdm(
                total=rule_count,
                desc=site.hostname,
                unit="项",
                file=sys.stderr,
                disable=options["no_progress"],
            )

            def rule_started(_site: Site, rule: Rule, index: int, _total: int, bar: tqdm = bar) -> None:
                bar.n = index
                bar.set_postfix_str(f"{rule.code} {rule.title}")

            def step(done: int, total: int, bar: tqdm = bar) -> None:
                bar.set_postfix_str(f"{done}/{total} 页", refresh=True)

            run = inspect_site(site, "command", progress=Progress(rule_started, step))
            bar.n = rule_count
            bar.close()
            reports.append((run, run_as_dict(run)))
        if options["format"] == "json":
            self.stdout.write(
                json.dumps({"sites": [data for _, data in reports]}, ensure_ascii=False, indent=2)
            )
        else:
            self.stdout.write("\n\n".join(run_as_text(data) for _, data in reports))
        if not all(passed(run) for run, _ in reports):
            sys.exit(EXIT_NOT_PASSED)
