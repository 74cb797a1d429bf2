"""The outcomes of a request and the applicant types: the rows and columns of the annual report's table three.

国办公开办函〔2021〕30号, table 三 (收到和处理政府信息公开申请情况): every closed case has exactly one of
these outcomes, so that the 年报 is counted from the cases. The labels are the table's own wording.
"""

from __future__ import annotations

from django.db import models


class ApplicantType(models.TextChoices):
    """Table three's columns: 自然人, and the five kinds of 法人或其他组织."""

    NATURAL = "natural", "自然人"
    COMMERCIAL = "commercial", "商业企业"
    RESEARCH = "research", "科研机构"
    PUBLIC_WELFARE = "public_welfare", "社会公益组织"
    LEGAL_SERVICE = "legal_service", "法律服务机构"
    OTHER_ORG = "other_org", "其他"


ORGANISATION_GROUP = "法人或其他组织"


class Outcome(models.TextChoices):
    """Table three's rows 三、(一) … (六): the one result of a closed case."""

    DISCLOSED = "disclosed", "予以公开"
    PARTIAL = "partial", "部分公开"
    DENIED_STATE_SECRET = "denied_secret", "属于国家秘密"
    DENIED_BY_LAW = "denied_law", "其他法律行政法规禁止公开"
    DENIED_SECURITY = "denied_security", "危及“三安全一稳定”"
    DENIED_THIRD_PARTY = "denied_third_party", "保护第三方合法权益"
    DENIED_INTERNAL = "denied_internal", "属于三类内部事务信息"
    DENIED_PROCESS = "denied_process", "属于四类过程性信息"
    DENIED_ENFORCEMENT = "denied_enforcement", "属于行政执法案卷"
    DENIED_INQUIRY = "denied_inquiry", "属于行政查询事项"
    UNAVAILABLE_NOT_HELD = "unavailable_not_held", "本机关不掌握相关政府信息"
    UNAVAILABLE_NEEDS_MAKING = "unavailable_making", "没有现成信息需要另行制作"
    UNAVAILABLE_UNCLEAR = "unavailable_unclear", "补正后申请内容仍不明确"
    NOT_HANDLED_PETITION = "not_handled_petition", "信访举报投诉类申请"
    NOT_HANDLED_REPEATED = "not_handled_repeated", "重复申请"
    NOT_HANDLED_PUBLICATION = "not_handled_publication", "要求提供公开出版物"
    NOT_HANDLED_MASS = "not_handled_mass", "无正当理由大量反复申请"
    NOT_HANDLED_CONFIRM = "not_handled_confirm", "要求行政机关确认或重新出具已获取信息"
    OTHER_NO_SUPPLEMENT = "other_no_supplement", "逾期不补正"
    OTHER_NO_FEE = "other_no_fee", "逾期未缴纳费用"
    OTHER = "other", "其他"


# Table three's groups of rows, in order: (group label, outcomes). A one-outcome group is a row itself.
OUTCOME_GROUPS: list[tuple[str, list[Outcome]]] = [
    ("（一）予以公开", [Outcome.DISCLOSED]),
    ("（二）部分公开", [Outcome.PARTIAL]),
    (
        "（三）不予公开",
        [
            Outcome.DENIED_STATE_SECRET,
            Outcome.DENIED_BY_LAW,
            Outcome.DENIED_SECURITY,
            Outcome.DENIED_THIRD_PARTY,
            Outcome.DENIED_INTERNAL,
            Outcome.DENIED_PROCESS,
            Outcome.DENIED_ENFORCEMENT,
            Outcome.DENIED_INQUIRY,
        ],
    ),
    (
        "（四）无法提供",
        [Outcome.UNAVAILABLE_NOT_HELD, Outcome.UNAVAILABLE_NEEDS_MAKING, Outcome.UNAVAILABLE_UNCLEAR],
    ),
    (
        "（五）不予处理",
        [
            Outcome.NOT_HANDLED_PETITION,
            Outcome.NOT_HANDLED_REPEATED,
            Outcome.NOT_HANDLED_PUBLICATION,
            Outcome.NOT_HANDLED_MASS,
            Outcome.NOT_HANDLED_CONFIRM,
        ],
    ),
    ("（六）其他处理", [Outcome.OTHER_NO_SUPPLEMENT, Outcome.OTHER_NO_FEE, Outcome.OTHER]),
]


def outcome_label(outcome: str) -> str:
    """`不予公开：属于国家秘密` — the group and the row, as a reply letter and the admin name it."""
    for group, members in OUTCOME_GROUPS:
        if outcome in members:
            name = group.split("）", 1)[1]
            row = Outcome(outcome).label
            return name if len(members) == 1 else f"{name}：{row}"
    raise ValueError(outcome)


def outcome_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for a <select> (optgroups follow the table)."""
    return [(group, [(o.value, o.label) for o in members]) for group, members in OUTCOME_GROUPS]
