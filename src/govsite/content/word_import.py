"""导入 Word: a .docx (or a .doc, converted by LibreOffice when it is installed) as body blocks.

The 公文 layout is kept: the title paragraph, headings (标题 1–3 → h2–h4), paragraphs (首行缩进 by
the site's CSS: leading spaces are dropped), centred and right-aligned paragraphs (落款, date) as
aligned blocks, tables as editable table blocks (merged cells kept) and inline images, saved into
the department's collection within the image upload limits. The text is typeset like 一键排版.

A file is vetted before it is opened: its size (the document upload cap), its archive directory (a
zip bomb is refused unread, `extract.archive_problem`), and then it must parse as a Word document;
every failure is an `ImportRefused` with a Chinese message for the editor.
"""

import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.images import ImageFile
from django.utils.html import escape
from docx import Document as open_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection

from .body import rich_text_block
from .extract import archive_problem
from .typeset import typeset_line, typeset_text

HEADING_RE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)
TITLE_STYLES = {"title", "标题"}
HEADING_TAGS = {1: "h2", 2: "h3", 3: "h4"}  # the page title is the h1
IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
MAX_BLOCKS = 5000  # paragraphs and tables of one document (a 公文 has a few hundred)
MAX_IMAGES = 100
CONVERT_TIMEOUT_SECONDS = 60
ALIGNED = {WD_ALIGN_PARAGRAPH.CENTER: "center", WD_ALIGN_PARAGRAPH.RIGHT: "right"}


class ImportRefused(Exception):
    """The file cannot be imported; the message says why, in Chinese, for the editor."""


@dataclass
class ImportedDocument:
    title: str = ""
    blocks: list[dict[str, Any]] = field(default_factory=list)
    images: int = 0
    warnings: list[str] = field(default_factory=list)


def soffice() -> str | None:
    """LibreOffice's command, when installed: it converts .doc files to .docx."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def doc_to_docx(data: bytes) -> bytes:
    """Convert an old-format .doc with LibreOffice (headless, in a temporary directory)."""
    command = soffice()
    if command is None:
        raise ImportRefused(
            "服务器未安装 LibreOffice，无法导入 .doc 格式的文件。请在 Word 中“另存为”.docx 格式后再导入。"
        )
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "source.doc"
        source.write_bytes(data)
        try:
            subprocess.run(  # noqa: S603  # our own arguments; the file is in a private temp dir
                [command, "--headless", "--convert-to", "docx", "--outdir", tmp, str(source)],
                check=True,
                capture_output=True,
                timeout=CONVERT_TIMEOUT_SECONDS,
                env={"HOME": tmp, "PATH": "/usr/bin:/bin:/usr/local/bin"},
            )
        except (subprocess.SubprocessError, OSError) as exc:
            raise ImportRefused("该 .doc 文件无法转换，请在 Word 中另存为 .docx 格式后再导入。") from exc
        converted = Path(tmp) / "source.docx"
        if not converted.exists():
            raise ImportRefused("该 .doc 文件无法转换，请在 Word 中另存为 .docx 格式后再导入。")
        return converted.read_bytes()


def vet(data: bytes, name: str) -> bytes:
    """The .docx bytes of an upload, or ImportRefused: too large, a zip bomb, not a Word file."""
    limit = settings.WAGTAILDOCS_MAX_UPLOAD_SIZE
    if len(data) > limit:
        raise ImportRefused(f"文件过大（超过 {limit // 1024 // 1024} MB），不能导入。")
    extension = Path(name).suffix.lower()
    if extension == ".doc":
        data = doc_to_docx(data)
    elif extension != ".docx":
        raise ImportRefused("只能导入 Word 文件（.docx，或服务器装有 LibreOffice 时的 .doc）。")
    problem = archive_problem(data)
    if problem:
        raise ImportRefused(f"{problem}，疑似“压缩炸弹”，不能导入。请检查文件后重新上传。")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportRefused("该文件不是有效的 Word（.docx）文件，无法导入。")
    return data


# --- reading the document ------------------------------------------------------------------------
def style_name(paragraph: Paragraph) -> str:
    try:
        return (paragraph.style.name or "").strip() if paragraph.style is not None else ""
    except (KeyError, ValueError):
        return ""


def alignment(paragraph: Paragraph) -> str:
    value = paragraph.paragraph_format.alignment
    if value is None and paragraph.style is not None:
        value = paragraph.style.paragraph_format.alignment
    return ALIGNED.get(value, "") if value is not None else ""


def run_html(paragraph: Paragraph) -> str:
    """The paragraph's text with bold and italic kept (fonts, sizes and colours are not)."""
    out = []
    for run in paragraph.runs:
        text = escape(run.text).replace("\n", "<br/>")
        if not text:
            continue
        if run.bold:
            text = f"<b>{text}</b>"
        if run.italic:
            text = f"<i>{text}</i>"
        out.append(text)
    html = "".join(out) or escape(paragraph.text)
    return re.sub(r"</b><b>|</i><i>", "", html)


def numbering(paragraph: Paragraph) -> tuple[int, int] | None:
    """The (numId, level) of a Word list paragraph: numbering set on it or on its style (List Number,
    List Bullet and the like); None when it is no list item (numId 0 switches numbering off)."""
    properties = paragraph._p.pPr
    num_pr: Any = properties.numPr if properties is not None else None  # python-docx's oxml is untyped
    style = paragraph.style
    while num_pr is None and style is not None:
        properties = style.element.pPr
        num_pr = properties.numPr if properties is not None else None
        style = style.base_style
    if num_pr is None or num_pr.numId is None or not num_pr.numId.val:
        return None
    return num_pr.numId.val, num_pr.ilvl.val if num_pr.ilvl is not None else 0


def list_tag(paragraph: Paragraph) -> str:
    """The list tag of a Word list paragraph, "ol" or "ul" (by its numbering format), or ""."""
    found = numbering(paragraph)
    if found is None:
        return ""
    num_id, level = found
    try:
        part: Any = paragraph.part
        definitions = part.numbering_part.element
        abstract_id = definitions.num_having_numId(num_id).abstractNumId.val
    except (KeyError, NotImplementedError, AttributeError):  # a list without (valid) definitions
        return "ol"
    formats = definitions.xpath(
        f'w:abstractNum[@w:abstractNumId="{abstract_id}"]/w:lvl[@w:ilvl="{level}"]/w:numFmt/@w:val'
    )
    return "ul" if formats and formats[0] in ("bullet", "none") else "ol"


def image_parts(paragraph: Paragraph) -> list[tuple[Any, str]]:
    """The image parts drawn inline in `paragraph`, with the description Word stores for each."""
    found = []
    for drawing in paragraph._p.iter(qn("w:drawing")):
        properties = next(drawing.iter(qn("wp:docPr")), None)
        description = ""
        if properties is not None:
            description = (properties.get("descr") or properties.get("title") or "").strip()
        for blip in drawing.iter(qn("a:blip")):
            rel_id = blip.get(qn("r:embed"))
            part = paragraph.part.related_parts.get(rel_id) if rel_id else None
            if part is not None:
                found.append((part, description))
    return found


def table_value(table: Table) -> dict[str, Any]:
    """A table as TableBlock's value; cells merged in Word stay merged (mergeCells)."""
    grid: list[list[Any]] = []
    for row in table.rows:
        try:
            grid.append(list(row.cells))
        except (IndexError, ValueError):  # a malformed row: keep what can be read
            grid.append([])
    width = max((len(row) for row in grid), default=0)
    data: list[list[str]] = []
    spans: dict[int, list[int]] = {}
    covered: list[dict[str, Any]] = []  # cells under a merged one: the table template hides them
    for r, row in enumerate(grid):
        cells = []
        for c in range(width):
            cell = row[c] if c < len(row) else None
            if cell is None:
                cells.append("")
                continue
            key = id(cell._tc)  # a merged cell is the same element at every position it covers
            if key in spans:
                span = spans[key]
                span[2], span[3] = max(span[2], r), max(span[3], c)
                covered.append({"row": r, "col": c, "hidden": True})
                cells.append("")
                continue
            spans[key] = [r, c, r, c]
            cells.append(typeset_line(cell.text))
        data.append(cells)
    merges = [
        {"row": r0, "col": c0, "rowspan": r1 - r0 + 1, "colspan": c1 - c0 + 1}
        for r0, c0, r1, c1 in spans.values()
        if (r1, c1) != (r0, c0)
    ]
    first_row_header = bool(grid and grid[0]) and is_header_row(table)
    value: dict[str, Any] = {
        "data": data,
        "first_row_is_table_header": first_row_header,
        "first_col_is_header": False,
        "table_caption": "",
    }
    if merges:
        value["mergeCells"], value["cell"] = merges, covered
    return value


def is_header_row(table: Table) -> bool:
    """Word marks a repeated header row (标题行重复); failing that, a first row all in bold."""
    first = table.rows[0]
    properties = first._tr.trPr
    if properties is not None and properties.find(qn("w:tblHeader")) is not None:
        return True
    runs = [run for cell in first.cells for p in cell.paragraphs for run in p.runs if run.text.strip()]
    return bool(runs) and all(run.bold for run in runs)


class Reader:
    """Walks the document body in order and collects blocks; paragraphs in a row share a block."""

    def __init__(self, document: Any, collection: Collection, title_wanted: bool, name: str) -> None:
        self.document = document
        self.collection = collection
        self.title_wanted = title_wanted
        self.name = Path(name).stem[:60] or "Word 文档"
        self.result = ImportedDocument()
        self.paragraphs: list[str] = []
        self.open_list = ""  # "ol"/"ul" while the last paragraphs are items of a Word list
        self.seen_body = False

    def close_list(self) -> None:
        if self.open_list:
            self.paragraphs.append(f"</{self.open_list}>")
            self.open_list = ""

    def list_item(self, tag: str, html: str) -> None:
        """Consecutive list paragraphs form one list (levels are flattened: the editor keeps one)."""
        if tag != self.open_list:
            self.close_list()
            self.paragraphs.append(f"<{tag}>")
            self.open_list = tag
        self.paragraphs.append(f"<li>{html}</li>")

    def flush(self) -> None:
        self.close_list()
        if self.paragraphs:
            self.result.blocks.append(rich_text_block("".join(self.paragraphs)))
            self.paragraphs = []

    def add(self, block_type: str, value: Any) -> None:
        self.flush()
        self.result.blocks.append({"type": block_type, "value": value})

    def read(self) -> ImportedDocument:
        body = self.document.element.body
        for index, child in enumerate(body.iterchildren()):
            if index >= MAX_BLOCKS:
                self.result.warnings.append(f"文档过长，只导入了前 {MAX_BLOCKS} 段。")
                break
            if child.tag == qn("w:p"):
                self.paragraph(Paragraph(child, self.document.part))
            elif child.tag == qn("w:tbl"):
                self.add("table", table_value(Table(child, self.document.part)))
                self.seen_body = True
        self.flush()
        return self.result

    def paragraph(self, paragraph: Paragraph) -> None:
        for part, description in image_parts(paragraph):
            self.image(part, description)
        text = typeset_line(paragraph.text)
        if not text:
            return
        style = style_name(paragraph)
        align = alignment(paragraph)
        heading = HEADING_RE.match(style)
        tag = "" if heading else list_tag(paragraph)
        if tag:
            self.list_item(tag, typeset_text(run_html(paragraph)).strip(" \u3000\t"))
            self.seen_body = True
            return
        self.close_list()
        is_title = style.lower() in TITLE_STYLES or (align == "center" and not self.seen_body and not heading)
        if is_title and not self.result.title:
            self.result.title = text
            if self.title_wanted:
                return  # it becomes the page title (the page shows it as its h1)
        if heading and not is_title:
            tag = HEADING_TAGS.get(int(heading.group(1)), "h4")
            self.paragraphs.append(f"<{tag}>{escape(text)}</{tag}>")
        elif align:
            self.add("aligned", {"text": text, "align": align})
        else:
            html = typeset_text(run_html(paragraph)).strip(" \u3000\t")
            self.paragraphs.append(f"<p>{html}</p>")
        self.seen_body = True

    def image(self, part: Any, description: str) -> None:
        if self.result.images >= MAX_IMAGES:
            self.result.warnings.append(f"图片超过 {MAX_IMAGES} 张，其余图片未导入。")
            return
        blob = part.blob
        if len(blob) > settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE:
            limit = settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE // 1024 // 1024
            self.result.warnings.append(f"有一张图片超过 {limit} MB，未导入。")
            return
        try:
            with PILImage.open(io.BytesIO(blob)) as probe:
                image_format, (width, height) = probe.format or "", probe.size
        except (OSError, ValueError, PILImage.DecompressionBombError):
            image_format, width, height = "", 0, 0
        extension = IMAGE_FORMATS.get(image_format)
        if extension is None:
            self.result.warnings.append(
                "有一张图片的格式不受支持（如 EMF/WMF），未导入，请另存为 PNG 或 JPG 后插入。"
            )
            return
        if width * height > settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:
            self.result.warnings.append("有一张图片的像素过多，未导入。")
            return
        self.result.images += 1
        title = f"{self.name}-图{self.result.images}"
        image = get_image_model()(
            title=title,
            collection=self.collection,
            file=ImageFile(io.BytesIO(blob), name=f"word-import.{extension}"),
        )
        image.save()
        alt = description or title
        if not description:
            self.result.warnings.append(f"图片“{title}”没有替代文字，已暂用图片名称，请在正文中核对并修改。")
        self.add("image", {"image": image.pk, "alt": alt[:255], "caption": ""})
        self.seen_body = True


def read_docx(data: bytes, name: str, collection: Collection, title_wanted: bool) -> ImportedDocument:
    """Vet and read an uploaded Word file into body blocks (images saved into `collection`)."""
    data = vet(data, name)
    try:
        document = open_docx(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on a damaged or foreign file
        raise ImportRefused("该文件不是有效的 Word（.docx）文件，或文件已损坏，无法导入。") from exc
    try:
        result = Reader(document, collection, title_wanted, name).read()
    except ImportRefused:
        raise
    except Exception as exc:  # an unexpected structure: a message, never a 500
        raise ImportRefused(
            "无法读取该 Word 文件的内容，请在 Word 中另存为新的 .docx 文件后再导入。"
        ) from exc
    if not result.blocks and not result.title:
        raise ImportRefused("该 Word 文件中没有可导入的内容。")
    return result
