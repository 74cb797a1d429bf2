"""V5 互动回应差 (国办秘函〔2019〕19号 单项否决第 5 项), read from the 留言 records (govsite.interaction).

(1) The site must offer an effective consultation channel: an enabled 留言 channel (the /liuyan/ form).
(2) In the year before the check, no valid message (not 不予受理, not 垃圾信息) may stay unanswered for
more than three months: open messages older than that, and messages answered later than that within
the year, both count. An open message past the interaction app's 60-day hard alert warns.
Messages count for the site they were written on (`origin_site`): the one the inspector reads.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from wagtail.models import Site

from govsite.content.models import local_datetime
from govsite.interaction.deadlines import VETO_DAYS, VETO_WARNING_DAYS
from govsite.interaction.models import OPEN_STATUSES, Channel, Message, Status

from ..rules import FindingData, Kind, Rule, RuleOutcome, checked_at, register
from ..rules import Status as Verdict

LOOK_BACK_DAYS = 365
INVALID_STATUSES = (Status.REJECTED, Status.SPAM)
FIX_OPEN = "在“留言办理”中尽快答复；超过 3 个月未答复的有效留言构成单项否决。"


def message_finding(message: Message, message_text: str, evidence: str, fix: str) -> FindingData:
    return FindingData(
        key=f"V5|{message.number}",
        message=f"留言 {message.number}（{message.channel.name}）{message_text}",
        evidence=evidence,
        fix=fix,
    )


def check_interaction(site: Site) -> RuleOutcome:
    channels = list(Channel.objects.filter(site=site, enabled=True).order_by("sort_order", "pk"))
    if not channels:
        finding = FindingData(
            key="V5|channel",
            message="网站没有启用的留言咨询渠道",
            evidence="“留言渠道”中没有启用的渠道，公众无法在线咨询或提出建议",
            fix="在“留言渠道”中启用至少一个咨询或建议渠道（如“业务咨询”“厅长信箱”）。",
        )
        return RuleOutcome(Verdict.FAIL, "无有效咨询渠道", [finding])
    today = local_datetime(checked_at()).date()
    year_ago = today - timedelta(days=LOOK_BACK_DAYS)
    messages = (
        Message.objects.filter(origin_site=site)
        .exclude(status__in=INVALID_STATUSES)
        .filter(
            Q(status__in=OPEN_STATUSES, received_on__lte=today - timedelta(days=VETO_WARNING_DAYS))
            | Q(replied_on__gte=year_ago, replied_on__isnull=False)
        )
        .select_related("channel")
        .order_by("number")
    )
    vetoed, warned = [], []
    for message in messages:
        age = (today - message.received_on).days
        received = f"{message.received_on:%Y-%m-%d} 收到"
        if message.is_open and age > VETO_DAYS:
            vetoed.append(message_finding(message, f"已 {age} 天未答复", f"{received}，至今未答复", FIX_OPEN))
        elif message.is_open:
            warned.append(
                message_finding(
                    message,
                    f"已 {age} 天未答复，即将超过 3 个月",
                    f"{received}，{VETO_DAYS - age} 天后超过 3 个月",
                    FIX_OPEN,
                )
            )
        elif message.replied_on is not None and (message.replied_on - message.received_on).days > VETO_DAYS:
            days = (message.replied_on - message.received_on).days
            vetoed.append(
                message_finding(
                    message,
                    f"超过 3 个月才答复（{days} 天）",
                    f"{received}，{message.replied_on:%Y-%m-%d} 答复",
                    "近一年内有超过 3 个月才答复的有效留言；今后须在答复期限内答复。",
                )
            )
    measured = (
        f"{len(channels)} 个咨询渠道；近一年超过 3 个月未答复 {len(vetoed)} 条（否决线 1 条），"
        f"超过 {VETO_WARNING_DAYS} 天未答复 {len(warned)} 条"
    )
    status = Verdict.FAIL if vetoed else Verdict.WARN if warned else Verdict.PASS
    return RuleOutcome(status, measured, vetoed + warned)


register(
    Rule(
        code="V5",
        title="互动回应差",
        kind=Kind.VETO,
        source="国办秘函〔2019〕19号 单项否决第 5 项",
        threshold="无有效咨询建议渠道；或近 1 年内有效留言超过 3 个月未答复；60 天预警",
        check=check_interaction,
        order=50,
    )
)
