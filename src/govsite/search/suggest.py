"""Help for an empty result: pinyin input (zhangjiang → 张江), homophone typos (章江 → 张江), common typos."""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

from .models import SearchTerm
from .segment import HAN_RUN_RE

PINYIN_RE = re.compile(r"^[a-z]+(?:\s+[a-z]+)*$")
# Typos seen in government searches that are not homophones of the intended word.
COMMON_TYPOS = {
    "帐户": "账户",
    "帐号": "账号",
    "身份正": "身份证",
    "社宝": "社保",
    "公基金": "公积金",
    "营业执找": "营业执照",
    "办理流成": "办理流程",
    "申清": "申请",
    "登己": "登记",
    "补帖": "补贴",
}


def to_pinyin(text: str) -> str:
    return "".join(lazy_pinyin(text, style=Style.NORMAL, errors="ignore"))


def term_for_pinyin(key: str, exclude: str = "") -> str | None:
    """The most frequent indexed title word with this pinyin."""
    if not key:
        return None
    found = SearchTerm.objects.filter(pinyin=key).exclude(term=exclude).order_by("-freq", "term").first()
    return found.term if found else None


def correct(query: str) -> str | None:
    """A better query for one that found nothing, or None."""
    text = query.strip().lower()
    if not text:
        return None
    if PINYIN_RE.match(text):  # 拼音: zhangjiang, "zhang jiang", kejiting
        return term_for_pinyin(text.replace(" ", ""))
    fixed = text
    for typo, right in COMMON_TYPOS.items():
        fixed = fixed.replace(typo, right)
    if fixed != text:
        return fixed
    # Homophone typos: each Han run replaced by the indexed word that sounds the same.
    changed = False

    def replace(match: re.Match[str]) -> str:
        nonlocal changed
        run = match.group()
        term = term_for_pinyin(to_pinyin(run), exclude=run) if len(run) >= 2 else None
        if term:
            changed = True
            return term
        return run

    fixed = HAN_RUN_RE.sub(replace, text)
    return fixed if changed else None


def related_terms(query: str, limit: int = 6) -> list[str]:
    """Indexed title words that start with the query's first characters (关键词推荐)."""
    runs = HAN_RUN_RE.findall(query)
    if not runs or len(runs[0]) < 1:
        return []
    head = runs[0][:2]
    return list(
        SearchTerm.objects.filter(term__startswith=head)
        .exclude(term=runs[0])
        .order_by("-freq", "term")
        .values_list("term", flat=True)[:limit]
    )
