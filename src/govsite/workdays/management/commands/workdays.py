"""`govsite workdays DATE N`: the date N working days after DATE, so that anyone can check a deadline."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from govsite.workdays.calendar import UnknownHolidayYear, add_workdays, format_day

# Exit status of a command line that could not be read (as argparse uses for its own errors).
BAD_INPUT = 2


class Command(BaseCommand):
    help = (
        "计算 DATE 之后第 N 个工作日（期间开始之日不计算在内；N 为负数时向前推算），"
        "跳过周末和法定节假日，计入调休上班日。例：govsite workdays 2025-09-26 20"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        # Read as optional text: the command's own Chinese messages for bad or missing input are clearer
        # than argparse's English ones.
        parser.add_argument("date", nargs="?", metavar="DATE", help="起算日期，格式 YYYY-MM-DD")
        parser.add_argument("n", nargs="?", metavar="N", help="工作日数，整数，可为负数或 0")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["date"] is None or options["n"] is None:
            message = "请给出起算日期和工作日数，如：govsite workdays 2025-09-26 20"
            raise CommandError(message, returncode=BAD_INPUT)
        start = parse_date(options["date"])
        n = parse_count(options["n"])
        try:
            day = add_workdays(start, n)
        except UnknownHolidayYear as exc:
            raise CommandError(str(exc)) from None
        except DatabaseError:  # the administrators' holiday overrides live in the database
            message = "无法读取节假日调整：数据库尚未建立或未迁移，请先运行 govsite migrate"
            raise CommandError(message) from None
        self.stdout.write(format_day(day))


def parse_date(text: str) -> dt.date:
    """YYYY-MM-DD only: the one form that cannot be read two ways (03/04 is March or April)."""
    try:
        return dt.datetime.strptime(text.strip(), "%Y-%m-%d").date()
    except ValueError:
        message = f"日期“{text}”无法识别：请按 YYYY-MM-DD 格式输入实际存在的日期，如 2025-09-26"
        raise CommandError(message, returncode=BAD_INPUT) from None


def parse_count(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise CommandError(f"工作日数“{text}”不是整数：请输入如 20、-5 或 0", returncode=BAD_INPUT) from None
