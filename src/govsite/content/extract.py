"""Plain text from uploaded attachments (PDF, DOCX, XLSX, TXT), extracted once, by the task worker.

A 175 KB DOCX can expand to a 60 MB document.xml (a "zip bomb"): parsed whole, it took 74 s and
1.1 GB. So every limit is checked before the work it protects: the archive's declared sizes and
compression ratios before anything is decompressed, the XML read as a stream and dropped as it
goes, the text capped as it grows, and a time budget checked between pages, paragraphs and rows.
"""

from __future__ import annotations

import io
import logging
import time
import zipfile
from collections.abc import Callable
from typing import IO

logger = logging.getLogger(__name__)

MAX_CHARS = 50_000  # text kept per attachment (the search index stores no more)
MAX_PDF_PAGES = 100
MAX_XLSX_CELLS = 20_000
TIME_BUDGET_SECONDS = 20.0
# Office files are zip archives: what one may expand to before it is refused unread.
MAX_MEMBER_BYTES = 20 * 1024 * 1024  # one part (document.xml, sharedStrings.xml, a sheet)
MAX_ARCHIVE_BYTES = 200 * 1024 * 1024  # all parts together
MAX_RATIO = 200  # uncompressed / compressed size of a part larger than RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
OFFICE_EXTENSIONS = {"docx", "xlsx", "pptx"}
W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class ExtractionRefused(Exception):
    """The file is beyond a limit: it is kept as uploaded, but its text is not extracted."""


class Budget:
    """A deadline and a character allowance shared by one extraction."""

    def __init__(self, seconds: float = TIME_BUDGET_SECONDS, chars: int = MAX_CHARS) -> None:
        self.deadline = time.monotonic() + seconds
        self.chars = chars
        self.parts: list[str] = []
        self.size = 0

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise ExtractionRefused(f"提取超时（超过 {TIME_BUDGET_SECONDS:g} 秒）")

    def add(self, text: str) -> bool:
        """Keep `text`; False once the text is long enough (stop reading)."""
        self.check()
        if text:
            self.parts.append(text)
            self.size += len(text)
        return self.size < self.chars

    def text(self, sep: str = "\n") -> str:
        return sep.join(self.parts)[: self.chars]


def archive_problem(file: IO[bytes] | bytes) -> str | None:
    """Why a zip-based upload must not be expanded (a zip bomb), or None; reads only the directory.

    The sizes are the archive's own declarations; a part that lies about its size cannot
    decompress past it (zipfile stops at the declared size and fails its CRC check).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(file) if isinstance(file, bytes) else file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None  # not an archive at all: the parsers fail on it quickly and harmlessly
    total = 0
    for member in members:
        total += member.file_size
        name, ratio = member.filename[:60], member.file_size // max(member.compress_size, 1)
        if member.file_size > MAX_MEMBER_BYTES:
            return f"文件中的“{name}”解压后达 {member.file_size // 1024 // 1024} MB"
        if member.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            return f"文件中的“{name}”压缩比异常（{ratio} 倍）"
    if total > MAX_ARCHIVE_BYTES:
        return f"文件解压后共 {total // 1024 // 1024} MB"
    return None


def _pdf(data: bytes, budget: Budget) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    for index, page in enumerate(reader.pages):
        if index >= MAX_PDF_PAGES or not budget.add(page.extract_text() or ""):
            break
    return budget.text()


def _docx(data: bytes, budget: Budget) -> str:
    """Paragraph text streamed from word/document.xml: memory stays flat however long it is."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("word/document.xml") as xml:
        paragraph: list[str] = []
        events = etree.iterparse(
            xml, events=("end",), resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
        )
        for count, (_, element) in enumerate(events):
            if count % 10_000 == 0:
                budget.check()
            if element.tag == W_NS + "t":
                paragraph.append(element.text or "")
            elif element.tag == W_NS + "tab":
                paragraph.append("\t")
            elif element.tag == W_NS + "p":
                more = budget.add("".join(paragraph))
                paragraph.clear()
                # Drop what is read: the paragraph and the siblings before it.
                element.clear()
                parent = element.getparent()
                while parent is not None and element.getprevious() is not None:
                    del parent[0]
                if not more:
                    break
    return budget.text()


def _xlsx(data: bytes, budget: Budget) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    cells = 0
    try:
        for sheet in workbook.worksheets:
            budget.add(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                values = [str(v) for v in row if v is not None]
                cells += len(values)
                if not budget.add(" ".join(values)) or cells >= MAX_XLSX_CELLS:
                    return budget.text()
    finally:
        workbook.close()
    return budget.text()


def _txt(data: bytes, budget: Budget) -> str:
    head = data[: budget.chars * 4]  # at most 4 bytes a character in UTF-8 and GB18030
    for encoding in ("utf-8", "gb18030"):
        try:
            return head.decode(encoding)[: budget.chars]
        except UnicodeDecodeError:
            continue
    return head.decode("utf-8", errors="ignore")[: budget.chars]


EXTRACTORS: dict[str, Callable[[bytes, Budget], str]] = {
    "pdf": _pdf,
    "docx": _docx,
    "xlsx": _xlsx,
    "txt": _txt,
}


def extract(data: bytes, extension: str) -> tuple[str, str]:
    """The file's text (capped) and, when it was refused or unreadable, why: never an exception."""
    extension = extension.lower().lstrip(".")
    extractor = EXTRACTORS.get(extension)
    if extractor is None:
        return "", ""
    try:
        if extension in OFFICE_EXTENSIONS and (problem := archive_problem(data)):
            raise ExtractionRefused(problem)
        return extractor(data, Budget())[:MAX_CHARS], ""
    except ExtractionRefused as exc:
        logger.warning("Text of a .%s attachment not extracted: %s", extension, exc)
        return "", f"未提取文本：{exc}"[:250]
    except Exception as exc:  # any parser failure (corrupt zip, bad PDF): the upload itself must succeed
        logger.warning("Could not extract text from a .%s attachment", extension, exc_info=True)
        return "", f"无法读取文件：{type(exc).__name__}"[:250]


def extract_text(data: bytes, extension: str) -> str:
    """The file's text, capped; an unreadable or hostile file gives "" (and a log line)."""
    return extract(data, extension)[0]
