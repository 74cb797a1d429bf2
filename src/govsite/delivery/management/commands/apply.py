"""`govsite apply FILE DIR`: apply a `govsite publish --export` file on the far side of a 网闸."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govsite.delivery.export import ExportError, apply_export, export_key


class Command(BaseCommand):
    help = (
        "应用发布导出文件：校验每个文件后按安全顺序写入目录（每个站点一个以域名命名的子目录），"
        "删除已撤下的文件。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="govsite publish --export 生成的 tar 文件")
        parser.add_argument("directory", help="网页服务器的发布根目录")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            signed = export_key() is not None
            results = apply_export(Path(options["file"]), Path(options["directory"]))
        except ExportError as exc:
            raise CommandError(f"{exc} 未写入任何文件。") from exc
        if signed:
            self.stdout.write("签名校验通过（GOVSITE_EXPORT_KEY）。")
        else:
            self.stderr.write(
                "注意：本机未配置 GOVSITE_EXPORT_KEY，未校验导出文件的签名。文件哈希只能发现损坏，"
                "不能发现伪造；请在导出方和本机配置同一密钥。"
            )
        for result in results:
            self.stdout.write(str(result))
