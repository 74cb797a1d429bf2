"""Personal information of the public: validating ID numbers, masking what lists show, redacting text.

Names, ID numbers and phones are personal information (个人信息保护法): lists show them masked
(张**, 1501**********1234, 138****5678); only a case's detail page shows them in full, to the site's
handlers, and every such view is in the audit log. Text that is published (a 留言 and its reply) has
phone numbers, ID numbers and e-mail addresses removed entirely (`redact_contacts`).
Used by 依申请公开 (govsite.disclosure) and 留言 (govsite.interaction).
"""

from __future__ import annotations

import datetime as dt
import re

# GB 11643-1999: weights of the first 17 digits, and the check character for the sum modulo 11.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
RESIDENT_ID = re.compile(r"^\d{17}[\dX]$")


def resident_id_check_char(first17: str) -> str:
    """The 18th character of a resident ID number whose first 17 digits are `first17` (GB 11643)."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def resident_id_problem(value: str) -> str | None:
    """Why `value` is not a valid 18-digit 居民身份证号码 (a Chinese message), or None when it is."""
    number = value.strip().upper()
    if not RESIDENT_ID.match(number):
        return "居民身份证号码应为 18 位：前 17 位为数字，最后一位为数字或 X。"
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "居民身份证号码中的出生日期不存在，请核对。"
    if birth.year < 1900 or birth > dt.date.today():
        return "居民身份证号码中的出生日期不正确，请核对。"
    if resident_id_check_char(number[:17]) != number[17]:
        return "居民身份证号码校验位不正确，请核对后重新输入。"
    return None


def mask_name(name: str) -> str:
    """张三 → 张*, 张三丰 → 张**; an organisation keeps its first two characters (内蒙**)."""
    name = name.strip()
    if not name:
        return ""
    keep = 1 if len(name) <= 4 else 2
    return name[:keep] + "*" * min(len(name) - keep, 8)


def mask_number(number: str) -> str:
    """1501**********1234 for an ID number; 138****5678 for a phone; short values are hidden whole."""
    number = number.strip()
    if len(number) >= 15:
        return number[:4] + "*" * (len(number) - 8) + number[-4:]
    if len(number) >= 7:
        return number[:3] + "*" * (len(number) - 7) + number[-4:]
    return "*" * len(number)


# An 18-digit ID number (or 15-digit old one), a mobile or fixed-line phone, an e-mail address: what a
# writer may type into a message's text and must never be published. Digits may be spaced or dashed.
_ID_IN_TEXT = re.compile(
    r"(?<![\dA-Za-z])\d{6}[ -]?(?:19|20)\d{2}[ -]?\d{2}[ -]?\d{2}[ -]?\d{3}[\dXx](?![\dA-Za-z])"
)
_OLD_ID_IN_TEXT = re.compile(r"(?<!\d)\d{15}(?!\d)")
_MOBILE_IN_TEXT = re.compile(r"(?<!\d)(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)")
_LANDLINE_IN_TEXT = re.compile(r"(?<!\d)(?:[(（]?0\d{2,3}[)）]?[ -]?)?[2-9]\d{6,7}(?:-\d{1,6})?(?!\d)")
_EMAIL_IN_TEXT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
REDACTED = "[已隐去]"


def redact_contacts(text: str) -> str:
    """`text` with every ID number, phone number and e-mail address replaced by [已隐去] (for publication)."""
    for pattern in (_EMAIL_IN_TEXT, _ID_IN_TEXT, _OLD_ID_IN_TEXT, _MOBILE_IN_TEXT, _LANDLINE_IN_TEXT):
        text = pattern.sub(REDACTED, text)
    return text
