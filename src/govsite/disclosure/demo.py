"""Demo 依申请公开 cases for a department site, one in each state (called by `govsite demo`).

Idempotent: the cases are known by their 受理编号 (YSQ-<year>-9000xx, a range real submissions reach
only after 900 000 applications in a year); running it again changes nothing that exists. Dates are
relative to today, so that the due-soon list always has something in it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from govsite.citizens.models import PublicAccount
from govsite.core.personal import resident_id_check_char
from govsite.workdays.calendar import UnknownHolidayYear, WorkdayCalendar

from . import services
from .models import DisclosureRequest, hash_query_code
from .outcomes import ApplicantType, Outcome

DEMO_QUERY_CODE = "DEMO2345ABCD"  # documented in docs/disclosure.md, to try the lookup page


@dataclass
class DemoCase:
    seq: int
    name: str
    applicant_type: str
    description: str
    working_days_ago: int
    steps: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def _id_number(seq: int) -> str:
    first17 = f"15010219850101{seq:03d}"
    return first17 + resident_id_check_char(first17)


CASES = [
    DemoCase(
        1,
        "王建国",
        ApplicantType.NATURAL,
        "2025 年自治区科技计划项目立项清单",
        40,
        [("reply", {"outcome": Outcome.DISCLOSED, "after": 12, "text": "立项清单已发送至您的邮箱。"})],
    ),
    DemoCase(
        2,
        "内蒙古某某科技有限公司",
        ApplicantType.COMMERCIAL,
        "某重点研发项目评审专家意见",
        35,
        [("reply", {"outcome": Outcome.DENIED_PROCESS, "after": 15, "text": "所申请信息属于评审意见。"})],
    ),
    DemoCase(3, "李娜", ApplicantType.NATURAL, "关于科技项目的相关文件", 3, [("supplement", {"after": 2})]),
    DemoCase(
        4,
        "某某律师事务所",
        ApplicantType.LEGAL_SERVICE,
        "某科技企业高新技术企业认定材料",
        10,
        [("consult", {"after": 3, "party": "某科技企业"})],
    ),
    DemoCase(
        5,
        "内蒙古某研究院",
        ApplicantType.RESEARCH,
        "近三年科技成果转化统计数据",
        26,
        [("extend", {"after": 18, "days": 10})],
    ),
    DemoCase(6, "赵敏", ApplicantType.NATURAL, "科技特派员选派办法", 22),
    DemoCase(
        7,
        "某公益基金会",
        ApplicantType.PUBLIC_WELFARE,
        "科普经费使用情况",
        45,
        [("supplement", {"after": 3}), ("abandon", {})],
    ),
]


def build_demo_cases(site: Site) -> int:
    """Create the demo cases missing on `site`; returns how many were created."""
    calendar = WorkdayCalendar.load()
    today = timezone.localdate()
    created = 0
    for spec in CASES:
        number = f"YSQ-{today.year}-{900000 + spec.seq}"
        if DisclosureRequest.objects.filter(site=site, number=number).exists():
            continue
        try:
            with transaction.atomic():
                _create(site, spec, number, calendar, today)
        except (UnknownHolidayYear, services.TransitionError):
            continue  # a date the clock cannot place (unknown holidays): leave that case out
        created += 1
    return created


def _create(site: Site, spec: DemoCase, number: str, calendar: WorkdayCalendar, today: dt.date) -> None:
    received = calendar.add_workdays(today, -spec.working_days_ago)
    natural = spec.applicant_type == ApplicantType.NATURAL
    case = DisclosureRequest.objects.create(
        site=site,
        number=number,
        query_code_hash=hash_query_code(DEMO_QUERY_CODE),
        applicant_type=spec.applicant_type,
        name=spec.name,
        id_type="resident_id" if natural else "credit_code",
        id_number=_id_number(spec.seq) if natural else f"91150100MA0{spec.seq:07d}",
        contact_person="" if natural else "张经办",
        phone=f"1380471{spec.seq:04d}",
        email=f"applicant{spec.seq}@example.com",
        description=spec.description,
        purpose="学习研究",
        delivery="email",
        received_on=received,
    )
    for step, options in spec.steps:
        on = calendar.add_workdays(received, options.get("after", 0))
        if step == "reply":
            services.reply(case, None, options["outcome"], options["text"], on)
        elif step == "supplement":
            services.request_supplement(case, None, "请写明所需文件的名称或文号。", on, calendar)
        elif step == "abandon":
            assert case.supplement_due is not None  # noqa: S101 - set by the step before
            services.abandon(case, None, case.supplement_due + dt.timedelta(days=1))
        elif step == "consult":
            services.start_consultation(case, None, options["party"], on)
        elif step == "extend":
            reason = "申请内容涉及多个处室，需汇总核实。"
            services.extend(case, None, options["days"], "科技厅办公室主任", reason, on, calendar)


def link_demo_case(site: Site, account: PublicAccount) -> bool:
    """List the first demo case under the demo public account's 我的申请; True when it was linked now."""
    number = f"YSQ-{timezone.localdate().year}-{900000 + CASES[0].seq}"
    return bool(
        DisclosureRequest.objects.filter(site=site, number=number, account=None).update(account=account)
    )
