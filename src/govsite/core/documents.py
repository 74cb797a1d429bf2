"""Documents an office files (年报, 网站体检报告): DOCX (python-docx) and PDF (reportlab), drawn from one
description of sections, paragraphs and grids of cells, the same the page's HTML shows.

The PDF uses reportlab's built-in CID font STSong-Light: the reader's PDF viewer supplies the glyphs
(Adobe's Asian font packs, which every mainstream viewer has), so no font file is shipped or needed on
the server, and the file stays a few kilobytes (docs/annual-report.md).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import Protocol

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

PDF_FONT = "STSong-Light"
DOCX_FONT = "宋体"


@dataclass
class Cell:
    text: str
    header: bool = False
    scope: str = ""  # "col", "colgroup" or "row" for a header cell
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Grid:
    """A table: header rows and body rows of cells; spans as in HTML."""

    caption: str
    head: list[list[Cell]]
    body: list[list[Cell]]

    @property
    def rows(self) -> list[list[Cell]]:
        return [*self.head, *self.body]

    @property
    def width(self) -> int:
        return sum(cell.colspan for cell in self.head[0])

    def placed(self) -> list[tuple[int, int, Cell]]:
        """(row, column, cell) of every cell, columns counted past the cells spanning from above:
        how a word processor or a PDF table needs them."""
        taken: set[tuple[int, int]] = set()
        out = []
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while (r, c) in taken:
                    c += 1
                out.append((r, c, cell))
                taken.update((r + i, c + j) for i in range(cell.rowspan) for j in range(cell.colspan))
                c += cell.colspan
        return out


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)


class Report(Protocol):
    """What the renderers read: a title, who issues it, and its sections in order."""

    @property
    def title(self) -> str: ...

    @property
    def organiser(self) -> str: ...

    @property
    def sections(self) -> list[Section]: ...


def render_docx(report: Report) -> bytes:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = DOCX_FONT
    style.font.size = Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), DOCX_FONT)
    title = document.add_heading(report.title, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for section in report.sections:
        document.add_heading(section.title, level=1)
        for text in section.paragraphs:
            document.add_paragraph(text)
        for grid in section.grids:
            document.add_paragraph(grid.caption).alignment = WD_ALIGN_PARAGRAPH.CENTER
            _docx_table(document, grid)
    out = io.BytesIO()
    document.save(out)
    return _fixed_zip_times(out.getvalue())


def _fixed_zip_times(package: bytes) -> bytes:
    """The same DOCX bytes for the same report: the publisher rewrites a file only when it changed,
    and a zip stamps every entry with the time it was written."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(2000, 1, 1, 0, 0, 0))
            target.writestr(info, source.read(item.filename), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _docx_table(document: Document, grid: Grid) -> None:  # type: ignore[valid-type]
    table = document.add_table(rows=len(grid.rows), cols=grid.width)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for r, c, cell in grid.placed():
        target = table.cell(r, c)
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(table.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
        target.text = cell.text
        if cell.header:
            for run in target.paragraphs[0].runs:
                run.bold = r < len(grid.head)


def render_pdf(report: Report) -> bytes:
    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    title = ParagraphStyle("title", fontName=PDF_FONT, fontSize=16, leading=22, alignment=1, spaceAfter=12)
    heading = ParagraphStyle(
        "heading", fontName=PDF_FONT, fontSize=13, leading=18, spaceBefore=10, spaceAfter=6
    )
    body = ParagraphStyle("body", fontName=PDF_FONT, fontSize=10.5, leading=16, firstLineIndent=21)
    cell = ParagraphStyle("cell", fontName=PDF_FONT, fontSize=8, leading=10, wordWrap="CJK")
    caption = ParagraphStyle(
        "caption", fontName=PDF_FONT, fontSize=10, leading=14, alignment=1, spaceBefore=6
    )
    story: list[Flowable] = [Paragraph(_escape(report.title), title)]
    for section in report.sections:
        story.append(Paragraph(_escape(section.title), heading))
        story += [Paragraph(_escape(text), body) for text in section.paragraphs]
        for grid in section.grids:
            story += [Paragraph(_escape(grid.caption), caption), _pdf_table(grid, cell), Spacer(1, 4 * mm)]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=report.title,
        author=report.organiser,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        invariant=True,  # no creation time or random id: the same report gives the same bytes
    )
    doc.build(story)
    return out.getvalue()


def _pdf_table(grid: Grid, style: ParagraphStyle) -> Table:
    data: list[list[Paragraph | str]] = [[""] * grid.width for _ in grid.rows]
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONTNAME", (0, 0), (-1, -1), PDF_FONT),
    ]
    for r, c, item in grid.placed():
        data[r][c] = Paragraph(_escape(item.text), style)
        if item.rowspan > 1 or item.colspan > 1:
            commands.append(("SPAN", (c, r), (c + item.colspan - 1, r + item.rowspan - 1)))
    return Table(data, style=TableStyle(commands), repeatRows=len(grid.head))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
