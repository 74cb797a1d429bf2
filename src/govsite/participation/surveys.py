"""A survey's questions as form fields, and the summary of its responses (counts and percentages).

Answers are stored by the question block's id, so that reordering the questions keeps old answers
with their question; an answer to a removed question or option is ignored by the summary.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django import forms

from .blocks import MULTIPLE, SINGLE, TEXT
from .text import PlainTextField

if TYPE_CHECKING:
    from .models import SurveyPage, SurveyResponse


def field_name(block_id: str) -> str:
    return f"q_{block_id}"


def question_fields(page: SurveyPage) -> dict[str, forms.Field]:
    """One form field per question, named by its block id; validation messages in Chinese."""
    fields: dict[str, forms.Field] = {}
    for number, block in enumerate(page.questions, start=1):
        value = block.value
        label = f"{number}. {value['question']}"
        required = bool(value["required"])
        if block.block_type == TEXT:
            limit = int(value["max_length"] or 500)
            fields[field_name(block.id)] = PlainTextField(
                label=label,
                required=required,
                max_length=limit,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=f"不超过 {limit} 字。",
                error_messages={"required": "请回答这道题。", "max_length": f"回答不能超过 {limit} 字。"},
            )
            continue
        choices = [(str(i), option) for i, option in enumerate(value["options"])]
        messages = {"required": "请选择一项。", "invalid_choice": "所选的选项不存在，请重新选择。"}
        if block.block_type == SINGLE:
            fields[field_name(block.id)] = forms.ChoiceField(
                label=label,
                required=required,
                choices=choices,
                widget=forms.RadioSelect,
                error_messages=messages,
            )
        elif block.block_type == MULTIPLE:
            limit = value.get("max_choices")
            choice_field = MaxChoicesField(
                label=label,
                required=required,
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
                error_messages={**messages, "required": "请至少选择一项。"},
                help_text=f"可多选，最多选 {limit} 项。" if limit else "可多选。",
            )
            choice_field.max_choices = int(limit) if limit else None
            fields[field_name(block.id)] = choice_field
    return fields


class MaxChoicesField(forms.MultipleChoiceField):
    max_choices: int | None = None

    def validate(self, value: Any) -> None:
        super().validate(value)
        if self.max_choices and len(value) > self.max_choices:
            raise forms.ValidationError(f"最多只能选择 {self.max_choices} 项。")


def answers_from(page: SurveyPage, cleaned: dict[str, Any]) -> dict[str, Any]:
    """The stored form of a valid submission: option indexes as integers, texts stripped."""
    answers: dict[str, Any] = {}
    for block in page.questions:
        value = cleaned.get(field_name(block.id))
        if value in (None, "", []):
            continue
        if block.block_type == SINGLE:
            answers[block.id] = int(value)
        elif block.block_type == MULTIPLE:
            answers[block.id] = sorted(int(v) for v in value)
        else:
            answers[block.id] = str(value).strip()
    return answers


@dataclass
class OptionResult:
    label: str
    count: int
    percent: float  # of the respondents who answered the question


@dataclass
class QuestionResult:
    number: int
    question: str
    kind: str
    answered: int
    options: list[OptionResult] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # free-text answers: handlers only, never public

    @property
    def is_text(self) -> bool:
        return self.kind == TEXT

    @property
    def kind_label(self) -> str:
        return {SINGLE: "单选", MULTIPLE: "多选", TEXT: "文字"}[self.kind]


def summarise(page: SurveyPage, responses: Iterable[SurveyResponse]) -> list[QuestionResult]:
    """Per question: how many answered, and per option its count and share of those who answered."""
    rows = [r.answers for r in responses if not r.hidden]
    results = []
    for number, block in enumerate(page.questions, start=1):
        value = block.value
        given = [row[block.id] for row in rows if block.id in row]
        result = QuestionResult(number, str(value["question"]), block.block_type, len(given))
        if block.block_type == TEXT:
            result.texts = [str(text) for text in given]
        else:
            counts = [0] * len(value["options"])
            for answer in given:
                for index in answer if isinstance(answer, list) else [answer]:
                    if isinstance(index, int) and 0 <= index < len(counts):
                        counts[index] += 1
            result.options = [
                OptionResult(str(label), count, round(100 * count / len(given), 1) if given else 0.0)
                for label, count in zip(value["options"], counts, strict=True)
            ]
        results.append(result)
    return results
