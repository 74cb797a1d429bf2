"""The forms of the second-factor steps and of the forced password change."""

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordChangeForm


class CodeForm(forms.Form):
    """One code: six digits from the authenticator, or a ten-digit recovery code."""

    code = forms.CharField(
        label="动态验证码",
        max_length=20,
        help_text="请输入身份验证器显示的6位数字；手机丢失时可输入一个10位恢复码。",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        error_messages={"required": "请输入动态验证码。"},
    )


class EnrolForm(CodeForm):
    """Confirms a new authenticator: its first code proves the secret was stored correctly."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = "扫描二维码后，输入身份验证器显示的6位数字完成绑定。"


class ExpiredPasswordForm(PasswordChangeForm):
    """Django's password change (old password, new twice, every validator) with Chinese labels."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "当前密码"
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password2"].label = "确认新密码"
