"""The public forms: Django forms with our captcha (core/captcha.py), every message in Chinese.

Text fields are `PlainTextField`s (text.py): control characters removed, everything else kept.
"""

from __future__ import annotations

from typing import Any

from django import forms

from govsite.core.captcha import CaptchaFormMixin

from .models import SurveyPage
from .surveys import question_fields
from .text import PlainTextField

NAME_HELP = "可不填。您的姓名和联系方式仅用于联系您，不会公开。"


class OpinionForm(CaptchaFormMixin, forms.Form):
    """意见征集: name and contact optional, the opinion itself required."""

    content = PlainTextField(
        label="意见内容",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="请写明针对的条款和修改建议，不超过 5000 字。",
        error_messages={"required": "请填写意见内容。", "max_length": "意见内容不能超过 5000 字。"},
    )
    name = PlainTextField(
        label="姓名",
        max_length=50,
        required=False,
        help_text=NAME_HELP,
        error_messages={"max_length": "姓名不能超过 50 个字。"},
    )
    contact = PlainTextField(
        label="联系方式",
        max_length=100,
        required=False,
        help_text="电话或电子邮箱，可不填。",
        error_messages={"max_length": "联系方式不能超过 100 个字符。"},
    )


class QuestionForm(OpinionForm):
    """在线访谈 提问: the same shape as an opinion, shorter."""

    content = PlainTextField(
        label="您的问题",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="不超过 1000 字。问题经审核后在访谈页面显示，姓名以“张*”的形式显示。",
        error_messages={"required": "请填写您的问题。", "max_length": "问题不能超过 1000 字。"},
    )
    name = PlainTextField(
        label="姓名或网名",
        max_length=50,
        required=False,
        help_text="可不填。",
        error_messages={"max_length": "姓名不能超过 50 个字。"},
    )


class SurveyForm(CaptchaFormMixin, forms.Form):
    """A survey's questionnaire: one field per question of the page."""

    def __init__(self, page: SurveyPage, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(question_fields(page))
