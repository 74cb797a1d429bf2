"""The public message form, the lookup and the rating: every mistake a Chinese message next to its field."""

from __future__ import annotations

import unicodedata
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import ProhibitNullCharactersValidator

from govsite.core.captcha import CaptchaFormMixin
from govsite.core.publicforms import AccessibleForm, NumberLookupForm, clean_phone_number, upload_problem

from .models import Channel
from .services import RATINGS

MAX_ATTACHMENTS = 3
SUBJECT_MAX, CONTENT_MAX = 100, 3000


def plain_text(value: str, keep_newlines: bool) -> str:
    """`value` without control and format characters (kept: line breaks in long text), trimmed.

    Stored as typed otherwise: HTML is text, and every page escapes it."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    kept = (
        ch
        for ch in value
        if (keep_newlines and ch in "\n\t") or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co")
    )
    return "".join(kept).strip()


class PlainTextField(forms.CharField):
    """Text without control characters, removed before validation (a NUL is not an error to show)."""

    def __init__(self, *args: Any, multiline: bool = False, **kwargs: Any) -> None:
        self.multiline = multiline
        super().__init__(*args, **kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]

    def to_python(self, value: Any) -> str:
        text = plain_text(str(value or ""), keep_newlines=self.multiline)
        return str(super().to_python(text))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to three files; each one a real JPG, PNG or PDF of at most 5 MB."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[bytes]]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(f"最多上传 {MAX_ATTACHMENTS} 个附件。")
        for upload in files:
            super().clean(upload, initial)
            problem = upload_problem(upload, "附件")
            if problem:
                raise forms.ValidationError(f"“{upload.name}”：{problem}")
        return files


class MessageForm(CaptchaFormMixin, AccessibleForm):
    """写留言: the fields of the usual 留言 form; the channel comes from the site's own list."""

    channel = forms.ModelChoiceField(
        label="留言类型",
        queryset=Channel.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择留言类型。", "invalid_choice": "请选择留言类型。"},
    )
    subject = PlainTextField(
        label="标题",
        max_length=SUBJECT_MAX,
        error_messages={"required": "请填写标题。", "max_length": f"标题不能超过 {SUBJECT_MAX} 个字。"},
    )
    content = PlainTextField(
        multiline=True,
        label="内容",
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=f"请写明事由和诉求，不超过 {CONTENT_MAX} 字。请勿在内容中填写身份证号码等个人信息。",
        error_messages={"required": "请填写留言内容。", "max_length": f"内容不能超过 {CONTENT_MAX} 字。"},
    )
    attachments = AttachmentsField(
        label="附件",
        required=False,
        help_text=f"可选，最多 {MAX_ATTACHMENTS} 个：JPG、PNG 图片或 PDF 文件，每个不超过 5 MB。",
    )
    name = PlainTextField(
        label="姓名",
        max_length=50,
        error_messages={"required": "请填写姓名。", "max_length": "姓名不能超过 50 个字。"},
    )
    phone = forms.CharField(
        label="联系电话",
        max_length=30,
        help_text="手机号码（11 位）或固定电话（如 0471-1234567），仅用于联系您，不会公开。",
        error_messages={"required": "请填写联系电话。"},
    )
    email = forms.EmailField(
        label="电子邮箱",
        required=False,
        error_messages={"invalid": "电子邮箱格式不正确，如 name@example.com。"},
    )
    publish_allowed = forms.TypedChoiceField(
        label="是否同意公开",
        choices=[("1", "同意公开（姓名隐去，联系方式不公开）"), ("0", "不同意公开")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="1",
        error_messages={"required": "请选择是否同意公开。", "invalid_choice": "请选择是否同意公开。"},
    )

    def __init__(self, *args: Any, channels: list[Channel], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[Channel]", self.fields["channel"])
        field.queryset = Channel.objects.filter(pk__in=[c.pk for c in channels])
        if len(channels) == 1:
            self.initial.setdefault("channel", channels[0].pk)

    def clean_phone(self) -> str:
        return clean_phone_number(self.cleaned_data["phone"])

    def message_fields(self) -> dict[str, Any]:
        """The cleaned values a Message takes (channel and files are passed separately)."""
        keys = ("subject", "content", "name", "phone", "email", "publish_allowed")
        return {key: self.cleaned_data[key] for key in keys}


class LookupForm(NumberLookupForm):
    number_label = "留言编号"
    number_example = "LY-2026-000123"
    submitted_what = "提交留言"


class RatingForm(LookupForm):
    rating = forms.TypedChoiceField(
        label="满意度",
        choices=[(str(k), v) for k, v in RATINGS.items()],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择满意度。", "invalid_choice": "请选择满意度。"},
    )
