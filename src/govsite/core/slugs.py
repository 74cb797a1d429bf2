"""ASCII slugs for Chinese titles: addresses must not contain Chinese characters (设计规范 D9)."""

import re

from pypinyin import Style, lazy_pinyin

MAX_SLUG_LENGTH = 40


def pinyin_slug(title: str) -> str:
    """Short pinyin initials for a title: 科技动态 -> kjdt, 2024年工作 -> 2024ngz."""
    letters = "".join(lazy_pinyin(title, style=Style.FIRST_LETTER, errors="default"))
    slug = re.sub(r"[^a-z0-9]+", "-", letters.lower()).strip("-")
    return slug[:MAX_SLUG_LENGTH].strip("-")


def is_ascii_slug(slug: str) -> bool:
    return bool(re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug))
