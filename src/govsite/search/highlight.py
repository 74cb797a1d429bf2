"""Snippets with <mark>: computed in Python over the original text, HTML-escaped first."""

from __future__ import annotations

import re

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

SNIPPET_CHARS = 120


def _pattern(terms: list[str]) -> re.Pattern[str] | None:
    parts = []
    for term in sorted({t for t in terms if t}, key=len, reverse=True):
        # "td-lte" also marks "TD LTE" / "TD-LTE": any joiner between the pieces.
        pieces = [re.escape(p) for p in re.split(r"[\s\-./·_+]+", term) if p]
        if pieces:
            parts.append(r"[\s\-./·_+]*".join(pieces))
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def highlight(text: str, terms: list[str]) -> SafeString:
    """The whole text, escaped, with every term wrapped in <mark>."""
    pattern = _pattern(terms)
    if pattern is None:
        return escape(text)
    out: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 -- every piece escaped above, <mark> is ours


def snippet(texts: list[str], terms: list[str], length: int = SNIPPET_CHARS) -> SafeString:
    """A window of the first text that contains a term (else the start of the first text)."""
    pattern = _pattern(terms)
    texts = [" ".join(t.split()) for t in texts if t and t.strip()]
    if not texts:
        return SafeString("")
    chosen, start = texts[0], 0
    if pattern is not None:
        for text in texts:
            match = pattern.search(text)
            if match:
                chosen, start = text, max(0, match.start() - length // 4)
                break
    window = chosen[start : start + length]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + length < len(chosen) else ""
    return format_html("{}{}{}", prefix, highlight(window, terms), suffix)
