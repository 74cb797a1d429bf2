"""The public forms: Django forms, Chinese messages next to fields; 找错 and 注册 carry our captcha."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from govsite.core.captcha import CaptchaFormMixin

from .accounts import normalise_login
from .models import ErrorType, PublicAccount

LOGIN_HELP = "11 位手机号码或电子邮箱地址。"
LOGIN_INVALID = "请填写 11 位手机号码或正确的电子邮箱地址（如 name@example.com）。"


class ErrorReportForm(CaptchaFormMixin, forms.Form):
    """我为政府网站找错."""

    page_url = forms.CharField(
        label="出错网页地址",
        max_length=2000,
        help_text="默认是您刚才浏览的网页，可以修改为本网站群的其他网页地址。",
        error_messages={"required": "请填写出错网页的地址。", "max_length": "网页地址不能超过 2000 个字符。"},
    )
    error_type = forms.ChoiceField(
        label="错误类型",
        choices=ErrorType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择错误类型。", "invalid_choice": "请选择错误类型。"},
    )
    description = forms.CharField(
        label="问题描述",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="请写明错误所在的位置和正确的内容，不超过 2000 字。",
        error_messages={"required": "请描述发现的问题。", "max_length": "问题描述不能超过 2000 字。"},
    )
    contact = forms.CharField(
        label="联系方式（选填）",
        max_length=100,
        required=False,
        help_text="手机号码或电子邮箱，仅用于向您反馈处理情况，不会公开。",
        error_messages={"max_length": "联系方式不能超过 100 个字符。"},
    )

    def clean_description(self) -> str:
        return str(self.cleaned_data["description"]).strip()


class LoginField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label="手机号码或电子邮箱",
            max_length=254,
            help_text=LOGIN_HELP,
            error_messages={"required": "请填写手机号码或电子邮箱。", "max_length": LOGIN_INVALID},
            **kwargs,
        )
        self.widget.attrs["autocomplete"] = "username"


class SignInForm(forms.Form):
    login = LoginField()
    password = forms.CharField(
        label="密码",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "请填写密码。"},
    )

    def clean_login(self) -> str:
        normalised = normalise_login(str(self.cleaned_data["login"]))
        if normalised is None:
            raise ValidationError(LOGIN_INVALID)
        return normalised[0]


class RegisterForm(CaptchaFormMixin, forms.Form):
    login = LoginField()
    display_name = forms.CharField(
        label="称呼（选填）",
        max_length=50,
        required=False,
        error_messages={"max_length": "称呼不能超过 50 个字。"},
    )
    password1 = forms.CharField(
        label="密码",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="至少 10 个字符，包含小写字母、大写字母、数字、特殊字符中的至少 3 类，不能与登录名相似。",
        error_messages={"required": "请设置密码。"},
    )
    password2 = forms.CharField(
        label="确认密码",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "请再次输入密码。"},
    )

    def clean_login(self) -> str:
        normalised = normalise_login(str(self.cleaned_data["login"]))
        if normalised is None:
            raise ValidationError(LOGIN_INVALID)
        login, _kind = normalised
        if PublicAccount.objects.filter(login=login).exists():
            raise ValidationError("该手机号码或电子邮箱已注册，请直接登录。")
        return login

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "两次输入的密码不一致。")
        elif first:
            login = str(data.get("login") or self.data.get("login") or "")
            normalised = normalise_login(login)
            probe = PublicAccount(login=login, kind=normalised[1] if normalised else "")
            try:
                # The validators only read attributes (username, email): a PublicAccount has them.
                password_validation.validate_password(str(first), user=probe)  # type: ignore[arg-type]
            except ValidationError as error:
                self.add_error("password1", error)
        return data

    def build_account(self) -> PublicAccount:
        login = str(self.cleaned_data["login"])
        normalised = normalise_login(login)
        assert normalised is not None  # noqa: S101 - clean_login accepted it
        account = PublicAccount(
            login=login, kind=normalised[1], display_name=self.cleaned_data["display_name"]
        )
        account.set_password(str(self.cleaned_data["password1"]))
        return account
