"""The body (正文) of articles and information pages: a stream of blocks, and the one helper that
turns it into HTML or text for every consumer that is not a template (checks, search, import).

Blocks: rich text (paragraphs, headings, lists, links, documents, images, as before), a table that
stays editable, an aligned paragraph (居中/右对齐, e.g. 落款 and date) and an image with a caption.
Templates render the stream with `{% include_block page.body %}`; everything else reads
`body_html` (the blocks as stored rich-text HTML: Wagtail's `<a linktype>`/`<embed embedtype>`
references kept, so that the checks see links and images) or `body_text`.

A body used to be a rich-text HTML string. `BodyField` still accepts one (old revisions, fixtures,
tests, the demo) and reads it as a single rich-text block, so nothing stored before is lost.
"""

import html
import json
import re
import uuid
from typing import Any

from django.utils.html import escape, strip_tags
from wagtail import blocks
from wagtail.blocks import StreamValue
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = [
    "h2",
    "h3",
    "h4",
    "bold",
    "italic",
    "ol",
    "ul",
    "hr",
    "link",
    "document-link",
    "image",
]
# The table editor: a header row by default (read as <th scope="col">), Chinese menus.
TABLE_OPTIONS = {
    "startRows": 3,
    "startCols": 3,
    "colHeaders": False,
    "rowHeaders": False,
    "contextMenu": [
        "row_above",
        "row_below",
        "---------",
        "col_left",
        "col_right",
        "---------",
        "remove_row",
        "remove_col",
        "---------",
        "undo",
        "redo",
    ],
    "editor": "text",
    "stretchH": "all",
    "height": 108,
    "renderer": "text",
    "autoColumnSize": False,
    "language": "zh-CN",
}
BODY_ID_NAMESPACE = uuid.UUID("7a0c4a43-3f0e-4a59-9d7a-9e0c3c5f2b11")
BLOCK_TAG_RE = re.compile(
    r"</?(?:p|div|h[1-6]|li|ul|ol|br|hr|table|tr|td|th|caption|blockquote|figure|figcaption|embed)\b[^>]*>",
    re.I,
)


class AlignedParagraphBlock(blocks.StructBlock):
    """A centred or right-aligned paragraph: a document's title line, 落款 and date."""

    text = blocks.TextBlock(label="文字")
    align = blocks.ChoiceBlock(
        label="对齐方式", choices=[("center", "居中"), ("right", "右对齐")], default="right"
    )

    class Meta:
        label = "对齐段落（居中/右对齐）"
        icon = "align-right"
        template = "content/blocks/aligned_paragraph.html"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label="图片")
    alt = blocks.CharBlock(label="替代文字", max_length=255, help_text="向读屏软件用户说明图片内容。")
    caption = blocks.CharBlock(label="图片说明", required=False, max_length=255)

    class Meta:
        label = "图片（带说明）"
        icon = "image"
        template = "content/blocks/captioned_image.html"


class BodyBlock(blocks.StreamBlock):
    rich_text = blocks.RichTextBlock(label="正文", features=RICH_TEXT_FEATURES)
    table = TableBlock(label="表格", table_options=TABLE_OPTIONS)
    aligned = AlignedParagraphBlock()
    image = CaptionedImageBlock()


def rich_text_block(source: str) -> dict[str, Any]:
    """One rich-text block holding `source`, with an id derived from it (reading the same old
    HTML twice gives the same stream)."""
    return {"type": "rich_text", "value": source, "id": str(uuid.uuid5(BODY_ID_NAMESPACE, source))}


def is_legacy_html(value: Any) -> bool:
    """A body stored before it became a stream: rich-text HTML, not the JSON of a block list."""
    return isinstance(value, str) and bool(value.strip()) and not value.lstrip().startswith("[")


class BodyField(StreamField):
    """The body's StreamField; it also reads a body that is still rich-text HTML (see module)."""

    def to_python(self, value: Any) -> StreamValue:
        if is_legacy_html(value):
            value = [rich_text_block(value)]
        return super().to_python(value)

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, str):
            value = self.to_python(value)
        return super().get_prep_value(value)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, _path, args, kwargs = super().deconstruct()
        return name, "govsite.content.body.BodyField", args, kwargs


# --- the one conversion for consumers -----------------------------------------------------------
def table_html(value: dict[str, Any]) -> str:
    """A table block as plain HTML (text only: cells are plain text in the editor)."""
    rows = value.get("data") or []
    caption = value.get("table_caption") or ""
    out = ["<table>"]
    if caption:
        out.append(f"<caption>{escape(caption)}</caption>")
    header = bool(value.get("first_row_is_table_header"))
    for index, row in enumerate(rows):
        tag = "th" if header and index == 0 else "td"
        cells = "".join(f"<{tag}>{escape(cell or '')}</{tag}>" for cell in row)
        out.append(f"<tr>{cells}</tr>")
    out.append("</table>")
    return "".join(out)


def block_html(block_type: str, value: Any) -> str:
    if block_type == "rich_text":
        return str(getattr(value, "source", value) or "")
    if block_type == "table":
        return table_html(value or {})
    if block_type == "aligned":
        text = escape(value.get("text") or "").replace("\n", "<br/>")
        return f'<p data-align="{escape(value.get("align") or "")}">{text}</p>'
    if block_type == "image":
        image = value.get("image")
        embed = ""
        if image is not None:
            alt = escape(value.get("alt") or "")
            embed = f'<embed embedtype="image" id="{image.pk}" format="fullwidth" alt="{alt}"/>'
        caption = value.get("caption") or ""
        return embed + (f"<p>{escape(caption)}</p>" if caption else "")
    return ""


def body_html(body: StreamValue | str | None) -> str:
    """Every block of `body` as stored rich-text HTML, in order: what checks scan and search reads."""
    if body is None or isinstance(body, str):
        return body or ""
    return "".join(block_html(child.block_type, child.value) for child in body)


def html_to_text(value: str) -> str:
    """Rich text to plain text: block tags become line breaks, inline tags vanish (张<b>江</b> = 张江)."""
    return html.unescape(strip_tags(BLOCK_TAG_RE.sub("\n", value or ""))).strip()


def body_text(body: StreamValue | str | None) -> str:
    return html_to_text(body_html(body))


def stream_data(body: StreamValue) -> list[dict[str, Any]]:
    """The raw block list of `body` (as stored), to edit and save back."""
    return list(json.loads(json.dumps(body.get_prep_value(), default=str)))
