"""Masking and redaction of personal information on real-looking names, phones and ID numbers."""

import pytest

from govsite.core.personal import REDACTED, mask_name, mask_number, redact_contacts


@pytest.mark.parametrize(
    "name, masked",
    [("张三", "张*"), ("张三丰", "张**"), ("欧阳明月", "欧***"), ("内蒙古某某科技有限公司", "内蒙********")],
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked


def test_mask_numbers():
    assert mask_number("11010519491231002X") == "1101**********002X"
    assert mask_number("13812345678") == "138****5678"


@pytest.mark.parametrize(
    "text",
    [
        "身份证 11010519491231002X 请核实",
        "身份证号：110105 19491231 002x",
        "老身份证 110105491231002",
        "电话13812345678",
        "手机 138 1234 5678 或 +86 139-0000-1111",
        "座机 0471-6949999 转 123",
        "座机（0471）6949999",
        "邮箱 zhang.san+ly@example.com.cn",
    ],
)
def test_redact_contacts_removes_every_number_and_address(text):
    redacted = redact_contacts(text)
    assert REDACTED in redacted
    digits = "".join(c for c in redacted if c.isdigit())
    assert len(digits) <= 3, redacted  # at most an extension number is left
    assert "@" not in redacted


def test_redact_contacts_keeps_ordinary_numbers():
    text = "2026年第3批科技计划项目共120项，资金5000万元。"
    assert redact_contacts(text) == text
