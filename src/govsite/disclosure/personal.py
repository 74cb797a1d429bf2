"""Applicants' personal information: validating ID numbers and masking what lists show.

Names, ID numbers and phones are personal information (个人信息保护法): lists show them masked
(张**, 1501**********1234, 138****5678); only a case's detail page shows them in full, to the site's
handlers, and every such view is in the audit log.
"""

from __future__ import annotations

import datetime as dt
import re

from govsite.core.personal import mask_name, mask_number

__all__ = ["mask_name", "mask_number", "resident_id_check_char", "resident_id_problem"]

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
