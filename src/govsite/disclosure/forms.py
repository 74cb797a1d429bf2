"""The public application form and the lookup form: every mistake is a Chinese message next to its field."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from govsite.core.personal import resident_id_problem
from govsite.core.publicforms import AccessibleForm, NumberLookupForm, clean_phone_number, upload_problem

from .models import Delivery, IdType
from .outcomes import ApplicantType

CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


class ApplicationForm(AccessibleForm):
    """政府信息公开申请表 (the fields of the usual paper form, online)."""

    applicant_type = forms.ChoiceField(
        label="申请人类型",
        choices=ApplicantType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择申请人类型。", "invalid_choice": "请选择申请人类型。"},
    )
    name = forms.CharField(
        label="姓名或名称",
        max_length=100,
        help_text="自然人填写姓名；法人或其他组织填写单位全称。",
        error_messages={"required": "请填写姓名或名称。", "max_length": "姓名或名称不能超过 100 个字。"},
    )
    id_type = forms.ChoiceField(
        label="证件类型",
        choices=[("", "请选择"), *IdType.choices],
        error_messages={"required": "请选择证件类型。", "invalid_choice": "请选择证件类型。"},
    )
    id_number = forms.CharField(
        label="证件号码",
        max_length=40,
        help_text="居民身份证请填写 18 位号码；法人或其他组织填写统一社会信用代码。",
        error_messages={"required": "请填写证件号码。", "max_length": "证件号码不能超过 40 个字符。"},
    )
    id_document = forms.FileField(
        label="证件附件",
        help_text="身份证明或营业执照等证件的扫描件或照片：JPG、PNG 或 PDF，不超过 5 MB。",
        error_messages={"required": "请上传证件附件。", "empty": "上传的证件附件是空文件，请重新选择。"},
    )
    contact_person = forms.CharField(
        label="联系人", max_length=50, required=False, help_text="法人或其他组织填写经办人姓名。"
    )
    phone = forms.CharField(
        label="联系电话",
        max_length=30,
        help_text="手机号码（11 位）或固定电话（如 0471-1234567）。",
        error_messages={"required": "请填写联系电话。"},
    )
    email = forms.EmailField(
        label="电子邮箱",
        required=False,
        error_messages={"invalid": "电子邮箱格式不正确，如 name@example.com。"},
    )
    address = forms.CharField(label="通信地址", max_length=200, required=False)
    postcode = forms.CharField(label="邮政编码", max_length=6, required=False)
    description = forms.CharField(
        label="所需信息的描述",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="请写明信息的名称、文号或者便于查询的其他特征性描述。",
        error_messages={"required": "请描述所需的政府信息。", "max_length": "描述不能超过 4000 字。"},
    )
    purpose = forms.CharField(
        label="所需信息的用途",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "用途不能超过 1000 字。"},
    )
    delivery = forms.ChoiceField(
        label="获取信息的方式",
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择获取信息的方式。", "invalid_choice": "请选择获取信息的方式。"},
    )

    def clean_name(self) -> str:
        return str(self.cleaned_data["name"]).strip()

    def clean_id_document(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["id_document"]
        problem = upload_problem(upload)
        if problem:
            raise forms.ValidationError(problem)
        return upload

    def clean_phone(self) -> str:
        return clean_phone_number(self.cleaned_data["phone"])

    def clean_postcode(self) -> str:
        postcode = str(self.cleaned_data.get("postcode") or "").strip()
        if postcode and not re.fullmatch(r"\d{6}", postcode):
            raise forms.ValidationError("邮政编码应为 6 位数字。")
        return postcode

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        id_type, number = data.get("id_type"), str(data.get("id_number") or "").strip().upper()
        if id_type and number:
            problem = None
            if id_type == IdType.RESIDENT_ID:
                problem = resident_id_problem(number)
            elif id_type == IdType.CREDIT_CODE and not CREDIT_CODE.match(number):
                problem = "统一社会信用代码应为 18 位数字或大写字母，请核对。"
            if problem:
                self.add_error("id_number", problem)
            else:
                data["id_number"] = number
        natural = data.get("applicant_type") == ApplicantType.NATURAL
        if id_type == IdType.CREDIT_CODE and natural:
            self.add_error("id_type", "自然人请选择身份证件；统一社会信用代码适用于法人或其他组织。")
        if data.get("delivery") == Delivery.EMAIL and not data.get("email") and "email" not in self.errors:
            self.add_error("email", "选择以电子邮件获取信息时，请填写电子邮箱。")
        if data.get("delivery") == Delivery.PAPER and not str(data.get("address") or "").strip():
            self.add_error("address", "选择邮寄纸质信息时，请填写通信地址。")
        return data

    def case_fields(self) -> dict[str, Any]:
        """The cleaned values a DisclosureRequest takes (the file is saved separately)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "id_document"}


class LookupForm(NumberLookupForm):
    number_label = "受理编号"
    number_example = "YSQ-2026-000123"
    submitted_what = "提交申请"
