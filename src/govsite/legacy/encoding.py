"""Decoding a saved page of an old site: which encoding its bytes really are in.

Old government sites are GBK/GB2312 as often as UTF-8, and their declarations are not always true (a
template copied from a UTF-8 site onto a GBK one). The order: a byte-order mark; then valid UTF-8 (a GBK
page of any length is practically never valid UTF-8, so this also catches a GBK declaration on a UTF-8
page); then the page's own declaration (`<meta charset>`, `http-equiv` Content-Type, `<?xml encoding>`)
if the bytes decode with it; then GB18030; then charset-normalizer's guess. GBK and GB2312 are read as
GB18030, their superset (old pages hold characters outside GB2312: 镕, 堃, rare names in 任免 notices).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Declarations live in the head; 4 KB covers it on every page seen (long <script> heads come after).
HEAD_BYTES = 4096
DECLARATION_RES = (
    re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([-\w.:]+)", re.I),
    re.compile(rb"<\?xml[^>]+encoding\s*=\s*[\"']([-\w.:]+)", re.I),
)
# Codec names as codecs.lookup() spells them → what to decode as.
SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "hz": "gb18030", "latin_1": "cp1252", "ascii": "utf-8"}
# Pages that fail to decode in only a few places (a truncated character at a cut, a stray byte) are
# still read, with the bad bytes replaced: at most this share of the characters.
MAX_REPLACED_SHARE = 0.001


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # the codec used, as Python names it ("utf-8", "gb18030", "big5", …)
    declared: str = ""  # what the page declared, normalised, or ""
    warning: str = ""  # Chinese, for the import report: a declaration that was wrong, replaced bytes


def codec_name(label: str) -> str:
    """A declared charset label as the codec to use, or "" for an unknown label."""
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return ""
    return SUPERSETS.get(name, name)


def declared_encoding(raw: bytes) -> str:
    """The encoding the page's head declares, normalised (see `codec_name`), or ""."""
    head = raw[:HEAD_BYTES]
    for pattern in DECLARATION_RES:
        match = pattern.search(head)
        if match:
            return codec_name(match.group(1).decode("ascii", "replace"))
    return ""


def strict(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def tolerant(raw: bytes, encoding: str) -> str | None:
    """`raw` decoded with a handful of bad bytes replaced, or None when there are more than a handful."""
    text = raw.decode(encoding, errors="replace")
    return text if text.count("\ufffd") <= max(1, int(len(text) * MAX_REPLACED_SHARE)) else None


def mismatch(declared: str, actual: str) -> str:
    if not declared or declared == actual:
        return ""
    return f"页面声明的编码为 {declared}，实际按 {actual} 解码"


def candidates(declared: str) -> list[str]:
    """The declared encoding, then GB18030; GB18030 first when the declaration is a Western single-byte
    one (any byte string decodes as windows-1252, so that declaration proves nothing on a Chinese page)."""
    western = declared.startswith(("cp125", "iso8859", "mac_"))
    names = ("gb18030", declared) if western else (declared, "gb18030")
    return list(dict.fromkeys(name for name in names if name))


def decode_html(raw: bytes) -> Decoded | None:
    """The page's text and how it was decoded, or None when it is not text in any known encoding."""
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            text = strict(raw, encoding)
            if text is not None:
                return Decoded(text, encoding.removesuffix("-sig"))
    declared = declared_encoding(raw)
    text = strict(raw, "utf-8")
    if text is not None:
        return Decoded(text, "utf-8", declared, mismatch(declared, "utf-8") if not raw.isascii() else "")
    for encoding in candidates(declared):
        text = strict(raw, encoding)
        if text is not None:
            return Decoded(text, encoding, declared, mismatch(declared, encoding))
    guess = from_bytes(raw[:200_000]).best()
    if guess is not None and guess.encoding:
        encoding = codec_name(guess.encoding)
        text = strict(raw, encoding) if encoding else None
        if text is not None:
            return Decoded(text, encoding, declared, mismatch(declared, encoding))
    for encoding in candidates(declared):
        text = tolerant(raw, encoding)
        if text is not None:
            warning = mismatch(declared, encoding) or f"页面含少量无法按 {encoding} 解码的字节，已替换为“�”"
            return Decoded(text, encoding, declared, warning)
    return None
