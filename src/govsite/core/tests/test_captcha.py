"""The captcha of our own: a question in Chinese, a signed token that hides the answer, one use, expiry."""

import pytest
from django import forms
from django.core import signing
from django.test import override_settings

from govsite.core import captcha


class ContactForm(captcha.CaptchaFormMixin, forms.Form):
    text = forms.CharField()


def answer(question: str) -> int:
    digits = {c: i for i, c in enumerate(captcha.DIGITS)}
    number = {captcha.chinese_number(n): n for n in range(21)}
    body = question.removesuffix("等于几？")
    op = "加" if "加" in body else "减"
    a, b = body.split(op)
    assert set(a + b) <= set(digits)
    return number[a] + number[b] if op == "加" else number[a] - number[b]


def test_chinese_numbers():
    assert [captcha.chinese_number(n) for n in (0, 7, 10, 12, 20)] == ["零", "七", "十", "十二", "二十"]


def test_the_token_does_not_carry_the_answer():
    question, token = captcha.new_challenge()
    payload = signing.loads(token, salt=captcha.SALT)
    assert str(answer(question)) not in {str(v) for v in payload.values()}


@pytest.mark.django_db
def test_right_answer_once_then_refused():
    question, token = captcha.new_challenge()
    assert captcha.check(token, "99") is not None
    assert captcha.check(token, str(answer(question))) is None
    assert "已使用" in str(captcha.check(token, str(answer(question))))
    assert "无效" in str(captcha.check(token + "x", "1"))


@pytest.mark.django_db
def test_full_width_digits_are_accepted():
    question, token = captcha.new_challenge()
    full = str(answer(question)).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert captcha.check(token, full) is None


@pytest.mark.django_db
@override_settings(GOVSITE_CAPTCHA=True)
def test_form_mixin_labels_the_question_and_renews_it_after_an_error():
    form = ContactForm()
    assert str(form.fields[captcha.ANSWER_FIELD].label).startswith("验证问题：") and form.captcha_question
    token = form.initial[captcha.TOKEN_FIELD]
    bound = ContactForm({"text": "保留", captcha.TOKEN_FIELD: token, captcha.ANSWER_FIELD: "99"})
    assert not bound.is_valid() and captcha.ANSWER_FIELD in bound.errors
    assert bound.data[captcha.TOKEN_FIELD] != token and bound.data["text"] == "保留"
    right = answer(form.captcha_question)
    new_question = bound.captcha_question
    again = ContactForm(
        {
            "text": "保留",
            captcha.TOKEN_FIELD: bound.data[captcha.TOKEN_FIELD],
            captcha.ANSWER_FIELD: str(answer(new_question)),
        }
    )
    assert again.is_valid(), again.errors
    assert right >= 0


@override_settings(GOVSITE_CAPTCHA=False)
def test_switched_off_there_are_no_captcha_fields():
    form = ContactForm({"text": "x"})
    assert captcha.ANSWER_FIELD not in form.fields and form.is_valid()
