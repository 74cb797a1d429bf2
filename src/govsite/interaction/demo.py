"""Demo 留言 for the S&T site, one in every state (called by `govsite demo`).

Idempotent: the messages are known by their 留言编号 (LY-<year>-9000xx, a range real submissions reach only
after 900 000 messages in a year). Dates are relative to today (working days back), so that the due-soon
list, the overdue one and the statistics always have something in them. The demo accounts are the sites'
网站管理员 (kjt-siteadmin drafts, admin approves; docs/messages.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from govsite.workdays.calendar import UnknownHolidayYear, WorkdayCalendar

from . import services
from .models import Channel, ChannelKind, Message, Status, create_default_channels, hash_query_code

DEMO_QUERY_CODE = "DEMO2345LYCX"  # documented in docs/messages.md, to try the lookup and rating


@dataclass
class DemoMessage:
    seq: int
    kind: str
    name: str
    subject: str
    content: str
    workdays_ago: int
    state: str  # the Status to reach; "transfer" = 转办 to the second site
    public: bool = True
    reply: str = ""
    rating: int | None = None


MESSAGES = [
    DemoMessage(
        1,
        ChannelKind.CONSULT,
        "张伟",
        "科技型中小企业评价何时开始？",
        "请问今年的科技型中小企业评价工作何时开始申报？需要准备哪些材料？",
        30,
        Status.CLOSED,
        reply="您好！今年的科技型中小企业评价工作已于 3 月启动，企业可登录全国科技型中小企业信息服务平台"
        "自主填报，材料清单见平台“政策指引”栏目。",
        rating=5,
    ),
    DemoMessage(
        2,
        ChannelKind.SUGGEST,
        "王芳",
        "建议增加科技特派员的培训场次",
        "基层科技特派员普遍反映培训机会少，建议每年在各盟市增加集中培训。",
        24,
        Status.REPLIED,
        reply="感谢您的建议。我厅将于下半年在各盟市分片区组织科技特派员能力提升培训，具体安排将在本网站“通知公告”栏目发布。",
        rating=4,
    ),
    DemoMessage(
        3,
        ChannelKind.LEADER,
        "李强",
        "关于高新技术企业认定的政策咨询",
        "我公司去年研发投入占比达到 5%，今年能否申请高新技术企业认定？联系电话 13912345678。",
        20,
        Status.CLOSED,
        reply="您好！研发费用占比只是认定条件之一，请对照《高新技术企业认定管理办法》第十一条逐项自评，也可咨询我厅高新技术处。",
    ),
    DemoMessage(
        4,
        ChannelKind.COMPLAINT,
        "刘洋",
        "项目经费拨付进度慢",
        "我单位承担的科技计划项目经费至今未拨付到位。",
        18,
        Status.REPLIED,
        public=False,
        reply="经核实，该项目经费已于本月拨付，请注意查收。",
    ),
    DemoMessage(
        5,
        ChannelKind.LEADER,
        "陈静",
        "关于科研诚信建设的建议",
        "建议建立科研诚信信息公开查询平台。",
        6,
        Status.ACCEPTED,
    ),
    DemoMessage(
        6,
        ChannelKind.CONSULT,
        "杨帆",
        "科技创新券如何申领？",
        "小微企业如何申领科技创新券？",
        1,
        Status.RECEIVED,
    ),
    DemoMessage(
        7,
        ChannelKind.CONSULT,
        "赵磊",
        "中小学科技教育课程安排",
        "请问中小学科学课程的课时安排由哪个部门负责？",
        2,
        "transfer",
    ),
    DemoMessage(
        8,
        ChannelKind.COMPLAINT,
        "黄敏",
        "科技成果登记长期无人处理",
        "我于两个月前提交的科技成果登记至今没有结果。",
        25,
        Status.ACCEPTED,
    ),
    DemoMessage(
        9,
        ChannelKind.SUGGEST,
        "周杰",
        "求购二手设备（广告）",
        "出售各类二手实验设备，欢迎来电。",
        3,
        Status.REJECTED,
    ),
    DemoMessage(
        10,
        ChannelKind.CONSULT,
        "吴刚",
        "技术合同登记需要哪些材料？",
        "办理技术合同认定登记需要提交哪些材料？",
        4,
        Status.REVIEW,
        reply="您好！需提交技术合同文本、技术合同认定登记申请表等材料，详见政务服务网办事指南。",
    ),
]


def _day(calendar: WorkdayCalendar, today: dt.date, workdays_ago: int) -> dt.date:
    try:
        return calendar.add_workdays(today, -workdays_ago)
    except UnknownHolidayYear:
        return today - dt.timedelta(days=workdays_ago * 7 // 5)


def build_demo_messages(site: Site, other_site: Site) -> int:
    """Create the demo messages of `site` (one transferred to `other_site`); returns how many were new."""
    channels = {c.kind: c for c in create_default_channels(site)}
    Channel.objects.filter(pk=channels[ChannelKind.LEADER].pk, name="领导信箱").update(name="厅长信箱")
    create_default_channels(other_site)
    users = get_user_model().objects
    drafter = users.filter(username="kjt-siteadmin").first()
    reviewer = users.filter(username="platform-admin").first() or users.filter(is_superuser=True).first()
    calendar, today = WorkdayCalendar.load(), timezone.localdate()
    created = 0
    for demo in MESSAGES:
        number = f"LY-{today.year}-9000{demo.seq:02d}"
        if Message.objects.filter(origin_site=site, number=number).exists():
            continue
        with transaction.atomic():
            _build(demo, number, site, other_site, channels[demo.kind], drafter, reviewer, calendar, today)
        created += 1
    return created


def _build(
    demo: DemoMessage,
    number: str,
    site: Site,
    other_site: Site,
    channel: Channel,
    drafter: object,
    reviewer: object,
    calendar: WorkdayCalendar,
    today: dt.date,
) -> None:
    received = _day(calendar, today, demo.workdays_ago)
    message = Message.objects.create(
        origin_site=site,
        site=site,
        channel=channel,
        number=number,
        query_code_hash=hash_query_code(DEMO_QUERY_CODE),
        received_on=received,
        subject=demo.subject,
        content=demo.content,
        name=demo.name,
        phone=f"1380471{demo.seq:04d}",
        email="",
        publish_allowed=demo.public,
    )
    accepted_on = min(_day(calendar, received, -1), today)
    answered_on = min(
        _day(calendar, received, -max(1, min(demo.workdays_ago - 2, channel.reply_workdays - 1))), today
    )
    if demo.state == "transfer":
        services.transfer(message, drafter, other_site, "属教育部门职责，转教育厅办理。", received)  # type: ignore[arg-type]
        return
    if demo.state == Status.REJECTED:
        services.reject(message, drafter, "留言内容为商业广告，与本厅职责无关，不予受理。", accepted_on)  # type: ignore[arg-type]
        return
    if demo.state == Status.RECEIVED:
        return
    services.accept(message, drafter, accepted_on)  # type: ignore[arg-type]
    if demo.state == Status.ACCEPTED:
        return
    services.reply(message, drafter, "内蒙古自治区科学技术厅办公室", demo.reply)  # type: ignore[arg-type]
    if demo.state == Status.REVIEW:
        return
    services.approve(message, reviewer, answered_on)  # type: ignore[arg-type]
    if demo.rating:
        services.rate(message, demo.rating)
    if demo.state == Status.CLOSED:
        services.close(message, drafter, answered_on)  # type: ignore[arg-type]
