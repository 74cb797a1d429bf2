"""A captcha of our own for the public forms: an arithmetic question in Chinese, as plain text.

No third-party service and no script: the question is text in the field's label (a screen reader reads
it, 长辈版 enlarges it), the answer is typed as digits, and a "换一题" button reloads the form with a new
question while keeping what was typed. The signed token carries a random nonce, its time, and a keyed
hash of the answer (never the answer): it cannot be solved by reading it, it expires after
`MAX_AGE` seconds, and a nonce is accepted once (the shared cache remembers it).

Operators switch it off with GOVSITE_CAPTCHA=0 (the tests and the load benchmark do); every form that
mixes in `CaptchaFormMixin` then has no captcha fields at all.
"""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "govsite.core.captcha"
MAX_AGE = 30 * 60
DIGITS = "零一二三四五六七八九十"
ANSWER_FIELD = "captcha_answer"
TOKEN_FIELD = "captcha_token"  # noqa: S105 - a field name
REFRESH_FIELD = "captcha_refresh"


def enabled() -> bool:
    return bool(getattr(settings, "GOVSITE_CAPTCHA", True))


def chinese_number(n: int) -> str:
    """0–20 in Chinese characters: 七, 十二, 二十."""
    if n <= 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def _answer_hash(nonce: str, answer: str) -> str:
    return salted_hmac(SALT, f"{nonce}:{answer.strip()}", algorithm="sha256").hexdigest()


def new_challenge() -> tuple[str, str]:
    """(question, token): an addition or subtraction of numbers up to 10, the result 0–20."""
    a, b = secrets.randbelow(10) + 1, secrets.randbelow(10) + 1
    if secrets.randbelow(2):
        question, answer = f"{chinese_number(a)}加{chinese_number(b)}等于几？", a + b
    else:
        a, b = max(a, b), min(a, b)
        question, answer = f"{chinese_number(a)}减{chinese_number(b)}等于几？", a - b
    nonce = secrets.token_urlsafe(12)
    token = signing.dumps({"n": nonce, "h": _answer_hash(nonce, str(answer)), "q": question}, salt=SALT)
    return question, token


def check(token: str, answer: str) -> str | None:
    """Why `answer` to the challenge in `token` is refused (a Chinese message), or None when right.

    A right answer uses the token up: the same token and answer posted again are refused."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        return "验证问题已过期，请回答下面的新问题。"
    except signing.BadSignature:
        return "验证问题无效，请回答下面的新问题。"
    answer = answer.strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if not answer:
        return "请回答验证问题（填写阿拉伯数字）。"
    if not constant_time_compare(payload.get("h", ""), _answer_hash(str(payload.get("n")), answer)):
        return "验证问题回答不正确，请回答下面的新问题。"
    if not cache.add(f"govsite-captcha-used:{payload['n']}", 1, timeout=MAX_AGE + 60):
        return "该验证问题已使用过，请回答下面的新问题。"
    return None


class CaptchaFormMixin(forms.Form):
    """Adds the captcha to a form (when enabled): an answer field labelled with the question, a token.

    After a failed submission the form carries a new question (and an empty answer) while every other
    field keeps what was typed. A view may call `refresh_requested()` to re-show the form with another
    question without validating it ("换一题", the alternative for a question a person cannot answer).
    """

    captcha_question = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not enabled():
            return
        self.fields[ANSWER_FIELD] = forms.CharField(
            label="验证问题",
            max_length=10,
            required=False,
            help_text="请用阿拉伯数字作答，如“12”。看不清或不便作答，可点“换一题”。",
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 4}),
        )
        self.fields[TOKEN_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        if self.is_bound:
            payload = self._payload(str(self.data.get(self.add_prefix(TOKEN_FIELD), "")))
            if payload is not None and not self.refresh_requested():
                self._show(str(payload.get("q", "")), None)
                return
        self._new_question()

    @staticmethod
    def _payload(token: str) -> dict[str, Any] | None:
        try:
            payload: dict[str, Any] = signing.loads(token, salt=SALT)
        except signing.BadSignature:
            return None
        return payload

    def refresh_requested(self) -> bool:
        return self.is_bound and REFRESH_FIELD in self.data

    def _show(self, question: str, token: str | None) -> None:
        self.captcha_question = question
        self.fields[ANSWER_FIELD].label = f"验证问题：{question}"
        if token is not None:
            if self.is_bound:
                data = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict or a dict
                data[self.add_prefix(TOKEN_FIELD)] = token
                data[self.add_prefix(ANSWER_FIELD)] = ""
                self.data = data
            else:
                self.initial[TOKEN_FIELD] = token

    def _new_question(self) -> None:
        self._show(*new_challenge())

    def full_clean(self) -> None:
        super().full_clean()
        if enabled() and self.is_bound and self.errors:
            self._new_question()  # the token may be used up: a failed post always gets a fresh question

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if enabled() and not self.refresh_requested():
            problem = check(str(data.get(TOKEN_FIELD) or ""), str(data.get(ANSWER_FIELD) or ""))
            if problem:
                self.add_error(ANSWER_FIELD, problem)
        for name in (ANSWER_FIELD, TOKEN_FIELD):  # checked: the cleaned data is the form's own fields
            data.pop(name, None)
        return data
