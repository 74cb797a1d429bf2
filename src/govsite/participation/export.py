"""Excel exports of a page's submissions and results (openpyxl); names and contacts masked as in lists."""

from __future__ import annotations

import io
import re
from datetime import datetime
from typing import Any

from django.utils import timezone

from govsite.core.personal import mask_name, mask_number

from .models import InterviewPage, SolicitationPage, SurveyPage
from .surveys import summarise

Sheet = tuple[str, list[str], list[list[Any]]]
FORMULA_STARTS = ("=", "+", "-", "@")
# Characters XML 1.0 does not allow (an .xlsx is XML): dropped, or the whole export would fail (a 500).
# Found by the hostile-input suite: a question with U+FFFE broke the interview's export.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, str):
        return NOT_XML.sub("", value)
    return "" if value is None else value


def page_sheets(page: Any) -> list[Sheet]:
    if isinstance(page, SolicitationPage):
        rows = [
            [
                o.pk,
                o.created_at,
                mask_name(o.name),
                mask_number(o.contact),
                o.content,
                o.get_adoption_display(),
                o.note,
            ]
            for o in page.opinions.filter(hidden=False).order_by("created_at")
        ]
        return [("意见", ["编号", "提交时间", "姓名", "联系方式", "意见内容", "采纳情况", "处理说明"], rows)]
    if isinstance(page, SurveyPage):
        responses = list(page.responses.filter(hidden=False).order_by("created_at"))
        results = summarise(page, responses)
        summary = [
            [f"{r.number}. {r.question}", option.label, option.count, option.percent]
            for r in results
            for option in r.options
        ]
        texts = [[f"{r.number}. {r.question}", text] for r in results for text in r.texts]
        return [
            ("调查结果", ["题目", "选项", "人数", "比例（%）"], summary),
            ("文字回答", ["题目", "回答"], texts),
            ("答卷数", ["答卷总数"], [[len(responses)]]),
        ]
    if isinstance(page, InterviewPage):
        rows = [
            [q.pk, q.created_at, mask_name(q.name), q.content, q.get_status_display()]
            for q in page.questions.filter(hidden=False).order_by("created_at")
        ]
        return [("网友提问", ["编号", "提交时间", "姓名", "问题", "审核"], rows)]
    raise TypeError(type(page))


def workbook_bytes(sheets: list[Sheet]) -> bytes:
    """An .xlsx workbook; text a person typed stays text (never a formula) whatever it starts with."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell(value) for value in row])
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
