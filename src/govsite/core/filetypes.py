"""What a file's first bytes must be for its extension (等保 E9: uploads allowed by content, not by name).

One table for every upload: the public's scans (core.publicforms) and the editors' documents
(search.forms.SafeDocumentForm). A file named .pdf that is an HTML page, or a .docx that is a script,
is refused before it is stored, so nothing served from the platform is other than its name says.
Images are checked by Wagtail itself (Willow reads the format and compares it with the extension).
"""

from __future__ import annotations

import re
from typing import IO

HEAD_BYTES = 4096
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97–2003, Excel, PowerPoint, WPS Office files
ZIP = (b"PK\x03\x04",)  # Office Open XML, OFD, zip (an empty zip: PK\x05\x06)
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "gif": (b"GIF87a", b"GIF89a"),
    "doc": (OLE2,),
    "xls": (OLE2,),
    "ppt": (OLE2,),
    "wps": (OLE2,),
    "et": (OLE2,),
    "docx": ZIP,
    "xlsx": ZIP,
    "pptx": ZIP,
    "ofd": ZIP,
    "zip": (*ZIP, b"PK\x05\x06"),
}
# A text file is text: no NUL byte, UTF-8 or GB 18030, and not markup a browser would render.
MARKUP = re.compile(rb"^\s*(<\?xml|<!doctype|<html|<svg|<script|<\?php|<!--)", re.IGNORECASE)


def read_head(file: IO[bytes]) -> bytes:
    """The file's first bytes, the file left at its start."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    return head if isinstance(head, bytes) else bytes(head)


def is_text(head: bytes) -> bool:
    if b"\x00" in head or MARKUP.match(head.lstrip(b"\xef\xbb\xbf")):
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:  # a character cut at the end of the head
                return True
            continue
        return True
    return False


def content_matches(extension: str, head: bytes) -> bool:
    """Whether a file with this extension (no dot, any case) really is of that type."""
    extension = extension.lower().lstrip(".")
    if extension == "txt":
        return is_text(head)
    if extension == "webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    signatures = SIGNATURES.get(extension, ())
    return bool(signatures) and head.startswith(signatures)
