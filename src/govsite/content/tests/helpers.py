"""Helpers for content tests: parse pages, find demo pages, make drafts, build Word files."""

import io
import uuid
from typing import Any

from django.test import Client
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from lxml import html
from PIL import Image as PILImage
from wagtail.models import Site
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from govsite.content.body import RICH_TEXT_FEATURES
from govsite.content.models import ArticlePage, ColumnPage
from govsite.testing import demo_user

TABLE_WORD = "科技厅表格专用禁词"  # a word only the table of `gongwen_docx` holds
SEED_TITLE = "当好“试验田”,走出新路子——张江示范区十年发展探索之路"


def seed_article() -> ArticlePage:
    return ArticlePage.objects.get(title=SEED_TITLE)


def get_doc(client: Client, url: str, host: str = "kjt.localhost", status: int = 200) -> html.HtmlElement:
    response = client.get(url, HTTP_HOST=host)
    assert response.status_code == status, (url, response.status_code)
    return html.fromstring(response.content.decode())


def meta(doc: html.HtmlElement) -> dict[str, str]:
    return {m.get("name"): m.get("content") for m in doc.xpath("//meta[@name]")}


def path_of(page) -> str:
    """The page's path on its own site (page.url is absolute when several sites exist)."""
    return page.specific.get_url_parts()[2]


def body_form(html_source: str) -> dict[str, str]:
    """The page editor's fields for a body of one rich-text block holding `html_source`."""
    block = rich_text(html_source, features=RICH_TEXT_FEATURES)
    return nested_form_data({"body": streamfield([("rich_text", block)])})


def editor_post(client: Client, url: str, body: str = "<p>正文。</p>", **fields: str) -> dict[str, str]:
    """The page editor's POST to `url` (an add or edit view) as the admin sends it, with `fields` set.

    Taken from the form the view renders for the logged-in `client`: every field with its current
    value and the inline formsets' management forms, so a new field on the page type needs no change
    here. The body (built by the admin's JavaScript) is one rich-text block holding `body`.
    """
    response = client.get(url, HTTP_HOST="127.0.0.1")
    assert response.status_code == 200, (url, response.status_code)
    return editor_fields(response.content.decode(), body, **fields)


def editor_fields(editor_html: str, body: str = "<p>正文。</p>", **fields: str) -> dict[str, str]:
    """editor_post's data, from the page editor's HTML however it was fetched (a test client, or an
    HTTP request to a running application node)."""
    form = html.fromstring(editor_html).xpath("//form[@data-edit-form]")[0]
    data = {name: value for name, value in form.form_values() if "__prefix__" not in name}
    return {**data, **body_form(body), **fields}


def kjt() -> Site:
    return Site.objects.get(hostname="kjt.localhost")


def column(slug: str, host: str = "kjt.localhost") -> ColumnPage:
    return ColumnPage.objects.descendant_of(Site.objects.get(hostname=host).root_page).get(slug=slug)


def new_draft(
    slug: str = "gzdt", title: str = "测试稿件", host: str = "kjt.localhost", author: str = "kjt-editor"
) -> ArticlePage:
    """A draft article by `author` (kjt-editor) in one of the columns of a department's site (S&T)."""
    page = ArticlePage(
        title=title, slug=f"t-{uuid.uuid4().hex[:8]}", body="<p>正文。</p>", source="本厅", live=False
    )
    column(slug, host).add_child(instance=page)
    page.save_revision(user=demo_user(author))
    return ArticlePage.objects.get(pk=page.pk)


def live_article(slug: str = "tzgg") -> ArticlePage:
    return ArticlePage.objects.live().child_of(column(slug)).first()


def get(client: Client, page: Any) -> Any:
    """The page as a reader of the S&T site asks for it."""
    return client.get(path_of(page), HTTP_HOST="kjt.localhost")


# --- Word files --------------------------------------------------------------------------------
def png_bytes() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 20), "blue").save(buffer, format="PNG")
    return buffer.getvalue()


def gongwen_docx() -> bytes:
    """A 公文: centred title, heading, indented paragraphs, a 3×3 table, a picture, 落款 and date."""
    document = Document()
    title = document.add_paragraph("关于开展科技创新券申报工作的通知")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("各盟市科技局:")
    document.add_heading("一、申报条件", level=1)
    body = document.add_paragraph("　　申报单位应当在自治区境内注册 , 具有独立法人资格.")
    body.paragraph_format.first_line_indent = Pt(24)
    document.add_paragraph("")  # an empty paragraph, dropped
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate(
        [("项目", "额度", "期限"), ("创新券", "50万元", "一年"), (TABLE_WORD, "10万元", "两年")]
    ):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    for cell in table.rows[0].cells:
        cell.paragraphs[0].runs[0].bold = True
    document.add_paragraph().add_run().add_picture(io.BytesIO(png_bytes()))
    signature = document.add_paragraph("内蒙古自治区科学技术厅")
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    date = document.add_paragraph("2026年3月1日")
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
