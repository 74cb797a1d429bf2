"""ASCII slugs for Chinese titles: addresses must not contain Chinese characters (设计规范 D9)."""

import re
from collections.abc import Iterable

from pypinyin import Style, lazy_pinyin

MAX_SLUG_LENGTH = 40
MAX_TYPED_SLUG_LENGTH = 200  # a slug an editor typed is kept up to this length (Page.slug holds 255)


def pinyin_slug(title: str) -> str:
    """Short pinyin initials for a title: 科技动态 -> kjdt, 2024年工作 -> 2024ngz."""
    letters = "".join(lazy_pinyin(title, style=Style.FIRST_LETTER, errors="default"))
    slug = re.sub(r"[^a-z0-9]+", "-", letters.lower()).strip("-")
    return slug[:MAX_SLUG_LENGTH].strip("-")


def is_ascii_slug(slug: str) -> bool:
    return bool(re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug))


def browser_slug(title: str) -> str:
    """What Wagtail's admin script (`w-slug#urlify`, non-Unicode) fills in from a title: the ASCII
    letters and digits only, so "2026年工作" gives "2026" and "通过验收 科技成果" gives "" or "-"."""
    text = re.sub(r"[^-\w\s]", "", title.lower(), flags=re.ASCII)
    return re.sub(r"[-\s]+", "-", text, flags=re.ASCII)[:255].rstrip("-")


def unique_slug(base: str, taken: Iterable[str]) -> str:
    """`base`, or `base-2`, `base-3` … whichever is not in `taken` first."""
    used = set(taken)
    slug, n = base, 1
    while slug in used:
        n += 1
        slug = f"{base}-{n}"
    return slug
