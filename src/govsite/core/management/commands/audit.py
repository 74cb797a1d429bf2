"""`govsite audit verify|head|prune`: check the audit trail's hash chain, export its head, prune it.

`verify` exits 1 naming the first record altered, deleted or inserted out of order (0 when the chain
is whole); `head` writes the chain head to stdout, a file (appended) and/or syslog, for a machine the
web server cannot reach; `prune` removes records past GOVSITE_AUDIT_RETENTION_DAYS (docs/audit-trail.md).
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from govsite.core import audit


class Command(BaseCommand):
    help = (
        "审计记录：verify 校验哈希链；head 导出链头（标准输出、文件或 syslog）；"
        "prune 清理超过保存期限的记录。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        verify = commands.add_parser("verify", help="校验哈希链，发现问题时以非零状态退出")
        verify.add_argument("--head", metavar="FILE", help="另一台机器上保存的链头文件：核对链条仍包含该链头")
        head = commands.add_parser("head", help="导出当前链头")
        head.add_argument("--output", metavar="FILE", help="追加写入此文件")
        head.add_argument(
            "--syslog",
            metavar="ADDRESS",
            nargs="?",
            const=settings.GOVSITE_AUDIT_SYSLOG or "/dev/log",
            help="发送到 syslog：host:port（UDP）或套接字路径，默认 GOVSITE_AUDIT_SYSLOG",
        )
        commands.add_parser("prune", help="清理超过保存期限（GOVSITE_AUDIT_RETENTION_DAYS）的记录")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"do_{options['action']}")(options)

    def do_verify(self, options: dict[str, Any]) -> None:
        expected = read_head(options["head"]) if options.get("head") else None
        count, problem = audit.verify(expected)
        if problem is not None:
            raise CommandError(f"审计记录哈希链校验失败：{problem.message}（已核对 {count} 条）")
        self.stdout.write(f"审计记录哈希链完整：共 {count} 条。")

    def do_head(self, options: dict[str, Any]) -> None:
        line = audit.head_line()
        if options.get("output"):
            with Path(options["output"]).open("a", encoding="utf-8") as out:
                out.write(line + "\n")
        if options.get("syslog"):
            try:
                audit.send_to_syslog(line, options["syslog"])
            except OSError as exc:
                raise CommandError(f"无法连接 syslog {options['syslog']}：{exc}") from None
        self.stdout.write(line)

    def do_prune(self, options: dict[str, Any]) -> None:
        try:
            count = audit.prune()
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"已清理 {count} 条超过 {audit.retention_days()} 天的审计记录。")


def read_head(path: str) -> tuple[int, str]:
    """The last head line of a file written by `audit head --output`."""
    try:
        lines = Path(path).read_text(encoding="utf-8").split("\n")
    except OSError as exc:
        raise CommandError(f"无法读取链头文件 {path}：{exc.strerror}") from None
    heads = [head for head in map(audit.parse_head_line, lines) if head is not None]
    if not heads:
        raise CommandError(f"链头文件 {path} 中没有链头记录（应为 govsite audit head 的输出）。")
    return heads[-1]
