"""`govsite workdays DATE N`: the date, or a Chinese message and a non-zero exit, never a traceback."""

import subprocess
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from govsite.testing import CLI, cli_env, run_cli
from govsite.workdays.models import HolidayOverride, HolidayYear

UNKNOWN_2027 = "2027 年的节假日安排未知：请在后台“节假日调整”中录入该年安排后重试"


def workdays(*args: str) -> str:
    out = StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "printed"),
    [
        (("2025-09-26", "20"), "2025-10-30（星期四）"),  # across 国庆 2025
        (("2025-01-24", "20"), "2025-02-27（星期四）"),  # across 春节 2025
        (("2025-10-15", "-5"), "2025-10-09（星期四）"),
        (("2025-10-01", "0"), "2025-10-01（星期三）"),
        ((" 2025-10-03 ", "+1"), "2025-10-09（星期四）"),
    ],
)
def test_prints_the_date_and_its_weekday(args, printed):
    assert workdays(*args) == printed + "\n"


@pytest.mark.django_db
def test_an_unknown_year_is_an_error_until_an_administrator_completes_it():
    with pytest.raises(CommandError, match=UNKNOWN_2027) as raised:
        workdays("2026-12-20", "20")
    assert raised.value.returncode == 1
    year = HolidayYear.objects.create(year=2027, complete=True)
    HolidayOverride.objects.create(holiday_year=year, date="2027-01-01", kind="holiday")
    # 12-21 … 12-31: 9 working days; 2027-01-01 (Fri) off; then 01-04 … 01-15 (10) and 01-18.
    assert workdays("2026-12-20", "20") == "2027-01-18（星期一）\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("2025/10/01", "20"), "日期“2025/10/01”无法识别：请按 YYYY-MM-DD 格式输入实际存在的日期"),
        (("2025-02-30", "20"), "日期“2025-02-30”无法识别"),
        (("明天", "20"), "日期“明天”无法识别"),
        (("2025-10-01", "二十"), "工作日数“二十”不是整数"),
        (("2025-10-01", "1.5"), "工作日数“1.5”不是整数"),
        (("2025-10-01",), "请给出起算日期和工作日数"),
        ((), "请给出起算日期和工作日数"),
    ],
)
def test_bad_input_is_refused_in_chinese_with_exit_status_2(args, message):
    with pytest.raises(CommandError, match=message) as raised:
        workdays(*args)
    assert raised.value.returncode == 2


# --- As a console command: exit statuses ---------------------------------------------------------
@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    """`python -m govsite` on a database of its own with this app's tables (the command reads overrides)."""
    env = cli_env(tmp_path_factory.mktemp("workdays-var"))
    run_cli(env, "migrate", "govsite_workdays", "--noinput", "-v0")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*CLI, "workdays", *args], env=env, capture_output=True, text=True, timeout=300)

    return run


def test_console_prints_the_date(cli):
    done = cli("2025-09-26", "20")
    assert (done.returncode, done.stdout) == (0, "2025-10-30（星期四）\n"), done.stderr


def test_console_exits_non_zero_for_an_unknown_year(cli):
    done = cli("2026-12-20", "20")
    assert done.returncode == 1
    assert UNKNOWN_2027 in done.stderr
    assert (done.stdout, "Traceback" in done.stderr) == ("", False)


def test_console_exits_2_on_bad_input(cli):
    done = cli("2025-13-01", "20")
    assert done.returncode == 2
    assert "日期“2025-13-01”无法识别" in done.stderr
    assert (done.stdout, "Traceback" in done.stderr) == ("", False)
