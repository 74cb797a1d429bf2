"""The demo's published 年报 (called by `govsite demo`): the S&T site's of last year, 教育厅's of the
year before (so that its reminder for last year shows).

Last year's 依申请公开 cases are added first (numbered YSQ-<year>-9001xx, beside disclosure.demo's
9000xx of this year): one for every outcome of table three, spread over the year and over the
applicant types, two carried over from the year before and two carried into this year, so that every
row of table three has something in it and the balance is visible. Idempotent, like the rest of the demo.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from govsite.disclosure import services
from govsite.disclosure.models import DisclosureRequest, hash_query_code
from govsite.disclosure.outcomes import ApplicantType
from govsite.sites.models import SiteProfile
from govsite.workdays.calendar import UnknownHolidayYear, WorkdayCalendar

from .counting import COLUMNS, OUTCOMES
from .models import AnnualReportPage
from .provisioning import report_column

CASE_NUMBER_BASE = 900100
DEMO_QUERY_CODE = "DEMO2345ABCD"
NAMES = {
    ApplicantType.NATURAL: "张某",
    ApplicantType.COMMERCIAL: "某某科技有限公司",
    ApplicantType.RESEARCH: "某研究院",
    ApplicantType.PUBLIC_WELFARE: "某公益基金会",
    ApplicantType.LEGAL_SERVICE: "某律师事务所",
    ApplicantType.OTHER_ORG: "某行业协会",
}


def _case_plan(year: int) -> list[tuple[str, dt.date, int | None, str]]:
    """(applicant type, received, working days to the reply or None, outcome) of each demo case."""
    plan: list[tuple[str, dt.date, int | None, str]] = []
    for n, outcome in enumerate(OUTCOMES):
        # the natural person applies most often, as in every real report
        kind = COLUMNS[0] if n % 2 == 0 else COLUMNS[1 + (n // 2) % (len(COLUMNS) - 1)]
        plan.append((kind, dt.date(year, 1 + n % 11, 3 + n % 20), 8 + n % 12, outcome))
    plan += [
        (COLUMNS[0], dt.date(year - 1, 12, 18), 15, OUTCOMES[0]),  # 上年结转
        (COLUMNS[1], dt.date(year - 1, 12, 24), 12, OUTCOMES[1]),
        (COLUMNS[0], dt.date(year, 12, 22), 12, OUTCOMES[0]),  # 结转下年度
        (COLUMNS[2], dt.date(year, 12, 26), 16, OUTCOMES[1]),
    ]
    return plan


def build_demo_cases_of_year(site: Site, year: int) -> int:
    """Create the missing demo cases of `year` on `site`; returns how many were created."""
    calendar = WorkdayCalendar.load()
    today = timezone.localdate()
    created = 0
    for seq, (kind, received, days, outcome) in enumerate(_case_plan(year), start=1):
        number = f"YSQ-{received.year}-{CASE_NUMBER_BASE + seq}"
        if received > today or DisclosureRequest.objects.filter(site=site, number=number).exists():
            continue
        try:
            with transaction.atomic():
                case = DisclosureRequest.objects.create(
                    site=site,
                    number=number,
                    query_code_hash=hash_query_code(DEMO_QUERY_CODE),
                    applicant_type=kind,
                    name=NAMES[ApplicantType(kind)],
                    id_type="resident_id" if kind == ApplicantType.NATURAL else "credit_code",
                    id_number=f"91150100MA1{seq:07d}",
                    phone=f"1380472{seq:04d}",
                    description="科技计划项目相关信息（示例）",
                    delivery="email",
                    received_on=received,
                )
                if days is not None:
                    replied = min(calendar.add_workdays(received, days), today)
                    services.reply(case, None, outcome, "答复内容见答复书（示例）。", replied)
        except (UnknownHolidayYear, services.TransitionError):
            continue
        created += 1
    return created


def build_demo_report(site: Site, year: int) -> AnnualReportPage | None:
    """Publish the site's report for `year` (computed numbers frozen on publication); None if it exists."""
    column = report_column(site)
    if AnnualReportPage.objects.descendant_of(site.root_page).filter(year=year).exists():
        return None
    organiser = SiteProfile.for_site(site).organiser or site.site_name
    page = AnnualReportPage(
        title=f"{organiser}{year}年政府信息公开工作年度报告",
        slug=str(year),
        year=year,
        overview=(
            f"本报告根据《中华人民共和国政府信息公开条例》和国务院办公厅政府信息与政务公开办公室"
            f"《关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）"
            f"要求编制，所列数据的统计期限自 {year} 年 1 月 1 日起至 {year} 年 12 月 31 日止。\n"
            f"{year} 年，{organiser}坚持以公开为常态、不公开为例外，围绕本部门中心工作，"
            "做好主动公开、依申请公开、政府信息管理、平台建设和监督保障各项工作。\n"
            "主动公开方面，及时发布政策文件及其解读，公开目录全部信息均编制索引号。"
            "依申请公开方面，严格按照法定期限办理，全年申请均在法定期限内答复。"
        ),
        licensing=326,
        penalties=2,
        enforcement=0,
        fees=Decimal("0"),
        review_upheld=1,
        direct_upheld=1,
        problems=(
            "一是政策解读形式还不够丰富，图解、视频解读占比不高。二是依申请公开答复书的说理还需加强。\n"
            "下一步，将丰富解读形式，加强答复书审核，持续提升政府信息公开工作质量。"
        ),
        other_matters="本年度未收取信息处理费。无其他需要报告的事项。",
        show_in_menus=False,
    )
    column.add_child(instance=page)
    page.save_revision().publish()
    return page
