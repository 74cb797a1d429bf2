"""一键排版: normalise the text of a body the way a 公文 is set.

Full-width punctuation in Chinese text, no spaces between Chinese characters, no empty paragraphs,
no fonts or inline styles, and no leading spaces: 首行缩进 comes from the site's CSS
(`.article-body p { text-indent: 2em }`), never from characters typed at the start of a line.
Only text between tags changes (a link's address, `3.5` or `10:30` stay as they are).
"""

import re
from typing import Any

HAN = r"\u3400-\u9fff\uf900-\ufaff"
CJK_CLOSE = r"，。；：？！、”’）》」』】"  # a half-width mark next to these is Chinese text too
# A half-width mark that follows a Chinese character (or closing Chinese mark) is full-width.
HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
AFTER_HAN_RE = re.compile(rf"(?<=[{HAN}{CJK_CLOSE}])[ \t]*([,;:?!)])(?!\d)")
BEFORE_HAN_RE = re.compile(rf"([,;:?!(])[ \t]*(?=[{HAN}])")
# A period after a Chinese character and before the end of a sentence (not 3.5, not a.b).
PERIOD_RE = re.compile(rf"(?<=[{HAN}{CJK_CLOSE}])\.(?=\s|$|[{HAN}“‘（])")
SPACES = "[ \u3000\u00a0\t]"
SPACE_BETWEEN_HAN_RE = re.compile(rf"(?<=[{HAN}{CJK_CLOSE}“‘（《]){SPACES}+(?=[{HAN}“‘（《{CJK_CLOSE}])")
NBSP_ENTITY_RE = re.compile(r"&nbsp;|&#160;|&#xa0;", re.I)
TAG_RE = re.compile(r"(<[^>]*>)")
# Attributes that carry fonts and inline styles; Wagtail's own (linktype, embedtype, id, href, alt,
# format) stay.
STYLE_ATTR_RE = re.compile(r"\s(?:style|class|face|size|color|align|lang|dir)=(\"[^\"]*\"|'[^']*')", re.I)
STYLE_TAG_RE = re.compile(r"</?(?:span|font|o:p)\b[^>]*>", re.I)
LEADING_SPACE_RE = re.compile(rf"(<(?:p|li|h[1-6])\b[^>]*>)(?:{SPACES}|<br\s*/?>)+", re.I)
TRAILING_SPACE_RE = re.compile(rf"(?:{SPACES}|<br\s*/?>)+(</(?:p|li|h[1-6])>)", re.I)
EMPTY_BLOCK_RE = re.compile(rf"<(p|h[1-6])\b[^>]*>(?:{SPACES}|<br\s*/?>|<(b|i)>\s*</\2>)*</\1>", re.I)


def typeset_text(text: str) -> str:
    """Normalise one run of text (no tags)."""
    text = text.replace("\u00a0", " ")
    text = AFTER_HAN_RE.sub(lambda m: HALF_TO_FULL[m.group(1)], text)
    text = BEFORE_HAN_RE.sub(lambda m: HALF_TO_FULL[m.group(1)], text)
    text = PERIOD_RE.sub("。", text)
    return SPACE_BETWEEN_HAN_RE.sub("", text)


def typeset_line(text: str) -> str:
    """A paragraph of plain text (aligned paragraph, table cell): also without edge spaces."""
    return "\n".join(typeset_text(line).strip(" \u3000\t") for line in text.split("\n")).strip()


def typeset_html(source: str, *, text: bool = True) -> str:
    """Normalise rich-text HTML: styles and fonts out, text typeset, empty paragraphs removed.

    `text=False` leaves the words as they are (only markup and spaces are cleaned): the legacy import
    keeps an old article's text exactly as it was published.
    """
    source = NBSP_ENTITY_RE.sub(" ", source or "")
    source = STYLE_TAG_RE.sub("", source)
    parts = TAG_RE.split(source)
    for index, part in enumerate(parts):
        if part.startswith("<"):
            parts[index] = STYLE_ATTR_RE.sub("", part)
        elif text:
            parts[index] = typeset_text(part)
    source = "".join(parts)
    source = LEADING_SPACE_RE.sub(r"\1", source)
    source = TRAILING_SPACE_RE.sub(r"\1", source)
    return EMPTY_BLOCK_RE.sub("", source).strip()


def typeset_block(block: dict[str, Any]) -> dict[str, Any] | None:
    """One raw stream block typeset, or None when nothing is left of it."""
    kind, value = block.get("type"), block.get("value")
    if kind == "rich_text":
        html = typeset_html(str(value or ""))
        return {**block, "value": html} if html else None
    if kind == "aligned" and isinstance(value, dict):
        text = typeset_line(str(value.get("text") or ""))
        return {**block, "value": {**value, "text": text}} if text else None
    if kind == "table" and isinstance(value, dict):
        data = [[typeset_line(str(cell or "")) for cell in row] for row in value.get("data") or []]
        caption = typeset_line(str(value.get("table_caption") or ""))
        return {**block, "value": {**value, "data": data, "table_caption": caption}}
    return block


def typeset_stream(data: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A raw block list (as stored) typeset; empty blocks are dropped."""
    blocks = [typeset_block(block) for block in data]
    return [block for block in blocks if block is not None]
