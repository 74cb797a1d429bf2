"""Plain text from uploaded attachments (PDF, DOCX, XLSX, TXT), extracted once at upload."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

MAX_CHARS = 50_000
MAX_PDF_PAGES = 100
MAX_XLSX_CELLS = 20_000


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    parts: list[str] = []
    size = 0
    for page in reader.pages[:MAX_PDF_PAGES]:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size >= MAX_CHARS:
            break
    return "\n".join(parts)


def _docx(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _xlsx(data: bytes) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    parts: list[str] = []
    cells = 0
    for sheet in workbook.worksheets:
        parts.append(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            values = [str(v) for v in row if v is not None]
            cells += len(values)
            if values:
                parts.append(" ".join(values))
            if cells >= MAX_XLSX_CELLS:
                return "\n".join(parts)
    return "\n".join(parts)


def _txt(data: bytes) -> str:
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="ignore")


EXTRACTORS: dict[str, Callable[[bytes], str]] = {"pdf": _pdf, "docx": _docx, "xlsx": _xlsx, "txt": _txt}


def extract_text(data: bytes, extension: str) -> str:
    """The file's text, capped; an unreadable or hostile file gives "" (and a log line), never an error."""
    extractor = EXTRACTORS.get(extension.lower().lstrip("."))
    if extractor is None:
        return ""
    try:
        return extractor(data)[:MAX_CHARS]
    except Exception:  # any parser failure (corrupt zip, bad PDF): the upload itself must succeed
        logger.warning("Could not extract text from a .%s attachment", extension, exc_info=True)
        return ""
