"""The public forms: plain Django forms (a captcha mixin can be added), every message in Chinese.

Text is kept as typed except for control characters, which are removed (they cannot be shown and
only serve to hide text); HTML or SQL in it is just text, escaped wherever it is shown.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms

from .models import SurveyPage
from .surveys import question_fields

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")


def clean_text(value: str) -> str:
    return CONTROL.sub("", value).strip()


class PublicForm(forms.Form):
    """Strips control characters from every text field before the field's own checks."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, value in list(data.items()):
            if isinstance(value, str):
                data[name] = clean_text(value)
        return data


NAME_HELP = "可不填。您的姓名和联系方式仅用于联系您，不会公开。"


class OpinionForm(PublicForm):
    """意见征集: name and contact optional, the opinion itself required."""

    content = forms.CharField(
        label="意见内容",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="请写明针对的条款和修改建议，不超过 5000 字。",
        error_messages={"required": "请填写意见内容。", "max_length": "意见内容不能超过 5000 字。"},
    )
    name = forms.CharField(
        label="姓名",
        max_length=50,
        required=False,
        help_text=NAME_HELP,
        error_messages={"max_length": "姓名不能超过 50 个字。"},
    )
    contact = forms.CharField(
        label="联系方式",
        max_length=100,
        required=False,
        help_text="电话或电子邮箱，可不填。",
        error_messages={"max_length": "联系方式不能超过 100 个字符。"},
    )

    def clean_content(self) -> str:
        content = clean_text(str(self.cleaned_data["content"]))
        if not content:
            raise forms.ValidationError("请填写意见内容。")
        return content


class QuestionForm(OpinionForm):
    """在线访谈 提问: the same shape as an opinion, shorter."""

    content = forms.CharField(
        label="您的问题",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="不超过 1000 字。问题经审核后在访谈页面显示，姓名以“张*”的形式显示。",
        error_messages={"required": "请填写您的问题。", "max_length": "问题不能超过 1000 字。"},
    )
    name = forms.CharField(
        label="姓名或网名",
        max_length=50,
        required=False,
        help_text="可不填。",
        error_messages={"max_length": "姓名不能超过 50 个字。"},
    )

    def clean_content(self) -> str:
        content = clean_text(str(self.cleaned_data["content"]))
        if not content:
            raise forms.ValidationError("请填写您的问题。")
        return content


class SurveyForm(PublicForm):
    """A survey's questionnaire: one field per question of the page."""

    def __init__(self, page: SurveyPage, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(question_fields(page))
