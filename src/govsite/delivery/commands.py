"""The delivery options of `govsite publish` (--export, --since, --verify, --deliver), added through the
`govsite_publish_command` hook so that publishing does not import delivery."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from wagtail.models import Site

from .export import ExportError, build_export, export_key
from .service import catch_up, prune, verify


class PublishOptions:
    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--export", metavar="FILE", help="把站点的已发布文件导出为一个tar文件（供网闸传递），不重新发布"
        )
        parser.add_argument(
            "--since", type=int, metavar="SEQ", help="与 --export 同用：只导出该序号之后的变更"
        )
        parser.add_argument(
            "--verify", action="store_true", help="逐一比较各发布目标与本机文件，列出差异，不重新发布"
        )
        parser.add_argument("--deliver", action="store_true", help="立即补推落后的发布目标，不重新发布")
        parser.add_argument(
            "--prune",
            action="store_true",
            help="删除超过保留期的发布变更记录（各目标已应用或将全量同步），不重新发布",
        )

    def handle(self, command: BaseCommand, sites: list[Site], options: dict[str, Any]) -> bool:
        """True when an option of delivery was given (and done): the command then publishes nothing."""
        if options.get("since") is not None and not options.get("export"):
            raise CommandError("--since 只能与 --export 一起使用。")
        if options.get("export"):
            if options.get("since") is not None and len(sites) != 1:
                raise CommandError("--since 需要用 --site 指定一个站点（序号按站点编排）。")
            try:
                manifest = build_export(sites, Path(options["export"]), options.get("since"))
            except ExportError as exc:
                raise CommandError(str(exc)) from exc
            for hostname, entry in manifest["sites"].items():
                kind = (
                    "整站"
                    if entry["whole_site"]
                    else f"变更 #{entry['from_sequence'] + 1}–#{entry['to_sequence']}"
                )
                command.stdout.write(
                    f"{hostname}：{kind}，{len(entry['files'])} 个文件，至变更 #{entry['to_sequence']}"
                )
            try:
                signed = export_key() is not None
            except ExportError as exc:
                raise CommandError(str(exc)) from exc
            note = "已签名" if signed else "未签名：未配置 GOVSITE_EXPORT_KEY，接收方无法识别伪造的导出文件"
            command.stdout.write(f"已导出到 {options['export']}（{note}）")
            return True
        if options.get("verify"):
            differing = 0
            found = {key: lines for site in sites for key, lines in verify(site).items()}
            for (target, site), lines in found.items():
                if lines:
                    differing += 1
                    command.stdout.write(f"{target} / {site.hostname}：{len(lines)} 处差异")
                    for line in lines:
                        command.stdout.write(f"  {line}")
                else:
                    command.stdout.write(f"{target} / {site.hostname}：一致")
            if differing:
                raise CommandError(f"{differing} 个发布目标与本机文件不一致。")
            return True
        if options.get("prune"):
            command.stdout.write(f"已清理 {prune()} 条超过保留期的发布变更记录。")
            return True
        if options.get("deliver"):
            for outcome in catch_up():
                command.stdout.write(str(outcome))
            return True
        return False
