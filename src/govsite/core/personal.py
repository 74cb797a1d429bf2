"""Masking personal information in lists: 张**, 1501**********1234, 138****5678.

Names, ID numbers and phones are personal information (个人信息保护法): every list a handler sees
shows them masked; only a record's detail page shows them in full, and each such view is audited
(依申请公开, 征集调查 and 在线访谈 alike).
"""

from __future__ import annotations


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
