"""Demo 征集调查 and 在线访谈 for the S&T site (called by `govsite demo`): a closed 征集 with its
采纳情况, a closed survey with published results, and an ended interview with its transcript.

Idempotent: each page is known by its slug under its column; running again changes nothing that
exists. Dates are relative to today, so the 征集 and the survey are always closed.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, Page, Site

from .models import (
    Adoption,
    InterviewPage,
    InterviewQuestion,
    InterviewStatus,
    Moderation,
    Opinion,
    SolicitationDraft,
    SolicitationPage,
    SurveyPage,
    SurveyResponse,
)

DRAFT_TEXT = "《内蒙古自治区科技成果转化促进办法（征求意见稿）》\n第一条 为促进科技成果转化为现实生产力……\n"
OPINIONS = [
    ("王建国", "13804711234", "建议第十二条明确科技成果转化收益中奖励科研人员的比例下限。", Adoption.ADOPTED),
    ("", "", "建议增加对盟市技术转移机构的资金支持。", Adoption.PARTLY),
    ("李娜", "lina@example.com", "建议取消成果转化项目的所有审批。", Adoption.NOT_ADOPTED),
    ("", "", "希望加快办法的出台。", Adoption.NOT_ADOPTED),
]
ADOPTION_TEXT = (
    "<p>征求意见期间，共收到社会公众意见 4 条。经认真研究，采纳 1 条，部分采纳 1 条：</p>"
    "<ol><li>关于明确科研人员奖励比例下限的意见，已采纳，修改为“不低于 70%”。</li>"
    "<li>关于支持盟市技术转移机构的意见，部分采纳，在第十八条增加支持条款，具体标准另行制定。</li></ol>"
    "<p>未采纳的理由：取消全部审批不符合国有资产管理有关规定；其余意见已在现行条款中体现。</p>"
)
SURVEY_QUESTIONS: list[tuple[str, dict[str, Any]]] = [
    (
        "single_choice",
        {
            "question": "您是否了解自治区科技成果转化政策？",
            "required": True,
            "options": ["非常了解", "了解一些", "不了解"],
        },
    ),
    (
        "multiple_choice",
        {
            "question": "您最希望获得哪些科技服务？",
            "required": True,
            "options": ["政策解读", "项目申报指导", "技术对接", "人才培训"],
            "max_choices": None,
        },
    ),
    ("text", {"question": "您对科技厅网站还有哪些建议？", "required": False, "max_length": 500}),
]
SURVEY_ANSWERS = [(0, [0, 2], "希望增加政策解读视频。"), (1, [1]), (1, [1, 2, 3]), (2, [3]), (1, [0, 1], "")]


def _block_ids(page: SurveyPage) -> list[str]:
    return [block.id for block in page.questions]


def _draft_document(collection: Collection) -> Any:
    document_model = get_document_model()
    title = "内蒙古自治区科技成果转化促进办法（征求意见稿）"
    existing = document_model.objects.filter(title=title, collection=collection).first()
    if existing:
        return existing
    document = document_model(title=title, collection=collection)
    document.file.save("kjcgzh-zqyjg.txt", ContentFile(DRAFT_TEXT.encode("utf-8")), save=False)
    document.save()
    return document


def build_demo_participation(site: Site, zjdc: Page, zxft: Page, collection: Collection) -> list[str]:
    """Create what is missing; returns the titles of the pages created."""
    now = timezone.now()
    created = []
    if not zjdc.get_children().filter(slug="kjcgzh-zqyj").exists():
        created.append(_solicitation(site, zjdc, collection, now))
    if not zjdc.get_children().filter(slug="kjfw-dc").exists():
        created.append(_survey(site, zjdc, now))
    if not zxft.get_children().filter(slug="kjcgzh-ft").exists():
        created.append(_interview(site, zxft, now))
    return created


def _solicitation(site: Site, parent: Page, collection: Collection, now: dt.datetime) -> str:
    page = SolicitationPage(
        title="关于《内蒙古自治区科技成果转化促进办法（征求意见稿）》公开征求意见的公告",
        slug="kjcgzh-zqyj",
        body="<p>为广泛听取社会各界意见，现将《内蒙古自治区科技成果转化促进办法（征求意见稿）》全文公布，"
        "公开征求意见。请在征集期间通过本页“我要提意见”提交意见。</p>",
        start_at=now - dt.timedelta(days=45),
        end_at=now - dt.timedelta(days=15),
        adoption_received=len(OPINIONS),
        adoption_adopted=2,
        adoption_on=timezone.localdate() - dt.timedelta(days=3),
        adoption_text=ADOPTION_TEXT,
    )
    page.drafts = [SolicitationDraft(document=_draft_document(collection), title="征求意见稿全文")]  # type: ignore[misc]
    parent.add_child(instance=page)
    for n, (name, contact, content, adoption) in enumerate(OPINIONS):
        Opinion.objects.create(
            page=page,
            site=site,
            name=name,
            contact=contact,
            content=content,
            adoption=adoption,
            created_at=now - dt.timedelta(days=40 - n * 5),
        )
    page.save_revision().publish()
    return page.title


def _survey(site: Site, parent: Page, now: dt.datetime) -> str:
    questions = [{"type": kind, "value": value, "id": str(uuid.uuid4())} for kind, value in SURVEY_QUESTIONS]
    page = SurveyPage(
        title="科技服务需求网上调查",
        slug="kjfw-dc",
        body="<p>为了解企业和公众对科技服务的需求，开展本次网上调查。调查结果在调查结束后公布。</p>",
        start_at=now - dt.timedelta(days=60),
        end_at=now - dt.timedelta(days=30),
        questions=questions,
        publish_results=True,
    )
    parent.add_child(instance=page)
    ids = _block_ids(page)
    for n, answer in enumerate(SURVEY_ANSWERS):
        answers: dict[str, Any] = {ids[0]: answer[0], ids[1]: answer[1]}
        if len(answer) > 2 and answer[2]:
            answers[ids[2]] = answer[2]
        SurveyResponse.objects.create(
            page=page, site=site, answers=answers, created_at=now - dt.timedelta(days=55 - n)
        )
    page.save_revision().publish()
    return page.title


def _interview(site: Site, parent: Page, now: dt.datetime) -> str:
    page = InterviewPage(
        title="在线访谈：解读自治区科技成果转化促进办法",
        slug="kjcgzh-ft",
        body="<p>自治区科学技术厅有关负责同志做客在线访谈，解读《内蒙古自治区科技成果转化促进办法》。</p>",
        scheduled_at=now - dt.timedelta(days=10),
        status=InterviewStatus.ENDED,
        guests=[
            ("guest", {"name": "张明", "title": "自治区科学技术厅副厅长"}),
            ("guest", {"name": "刘洋", "title": "自治区科学技术厅成果转化与区域创新处处长"}),
        ],
        transcript=[
            ("host", {"text": "各位网友大家好，欢迎来到在线访谈。"}),
            ("question", {"asker": "网友", "text": "办法对科研人员的奖励有哪些新规定？"}),
            (
                "answer",
                {
                    "speaker": "张明",
                    "text": "<p>办法明确，成果转化净收入用于奖励科研人员的比例不低于 70%。</p>",
                },
            ),
            ("question", {"asker": "网友", "text": "盟市的技术转移机构能获得哪些支持？"}),
            (
                "answer",
                {"speaker": "刘洋", "text": "<p>办法第十八条对技术转移机构给予支持，具体标准另行制定。</p>"},
            ),
        ],
    )
    parent.add_child(instance=page)
    for n, (name, content, status) in enumerate(
        [
            ("赵敏", "高校教师离岗创业有什么政策？", Moderation.APPROVED),
            ("", "成果转化收益如何纳税？", Moderation.APPROVED),
            ("某网友", "广告内容", Moderation.REJECTED),
        ]
    ):
        InterviewQuestion.objects.create(
            page=page,
            site=site,
            name=name,
            content=content,
            status=status,
            created_at=now - dt.timedelta(days=14 - n),
        )
    page.save_revision().publish()
    return page.title
