"""导入 Word and 一键排版: a 公文 keeps its layout as body blocks, its table stays editable and is
seen by search and the checks, its image lands in the department's collection; hostile files get a
Chinese message."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from docx import Document
from wagtail.images import get_image_model

from govsite.checks.models import WordRule
from govsite.checks.services import run_checks
from govsite.content.body import body_html, body_text
from govsite.content.models import ArticlePage
from govsite.content.typeset import typeset_html
from govsite.testing import demo_user, verified_client

from .helpers import TABLE_WORD, column, get_doc, gongwen_docx, kjt, new_draft, path_of

pytestmark = pytest.mark.django_db


def upload(data: bytes, name: str = "通知.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def editor_client() -> Client:
    client = verified_client()
    client.force_login(demo_user("kjt-editor"))
    return client


def import_new(client: Client, data: bytes, name: str = "通知.docx", **fields: str):
    url = f"/admin/content/columns/{column('tzgg').pk}/import-word/"
    return client.post(url, {"file": upload(data, name), "title": "", "source": "本厅", **fields})


def test_a_word_file_becomes_a_new_draft_with_its_layout_kept():
    client = editor_client()
    images_before = set(get_image_model().objects.values_list("pk", flat=True))
    response = import_new(client, gongwen_docx())
    assert response.status_code == 302, response.content.decode()[:2000]
    article = ArticlePage.objects.get(title="关于开展科技创新券申报工作的通知")
    assert not article.live and article.get_parent().pk == column("tzgg").pk
    draft = article.get_latest_revision_as_object()
    kinds = [block.block_type for block in draft.body]
    assert kinds == ["rich_text", "table", "image", "aligned", "aligned"]

    text = draft.body[0].value.source
    assert "<h2>一、申报条件</h2>" in text
    assert "<p>申报单位应当在自治区境内注册，具有独立法人资格。</p>" in text  # typeset, no leading spaces
    assert "关于开展" not in text  # the title paragraph became the page title
    table = draft.body[1].value
    assert table["data"][2][0] == TABLE_WORD and table["first_row_is_table_header"]
    assert [(b.value["text"], b.value["align"]) for b in draft.body[3:]] == [
        ("内蒙古自治区科学技术厅", "right"),
        ("2026年3月1日", "right"),
    ]
    image = draft.body[2].value["image"]
    assert image.pk not in images_before and image.collection.name == "科学技术厅"
    assert draft.body[2].value["alt"]

    # The checks see the table's text (a 错敏词 in a cell) and the image.
    WordRule.objects.create(site=kjt(), kind="sensitive", word=TABLE_WORD)
    assert TABLE_WORD in {finding.match for finding in run_checks(draft)}
    assert f'embedtype="image" id="{image.pk}"' in body_html(draft.body)


def test_word_numbered_and_bulleted_lists_become_lists():
    document = Document()
    document.add_paragraph("申报材料如下：")
    for item in ("申请表", "营业执照复印件"):
        document.add_paragraph(item, style="List Number")
    document.add_paragraph("注意事项：")
    for item in ("材料须加盖公章", "逾期不予受理"):
        document.add_paragraph(item, style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    response = import_new(editor_client(), buffer.getvalue(), title="申报材料清单")
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = ArticlePage.objects.get(title="申报材料清单").get_latest_revision_as_object()
    assert [block.block_type for block in draft.body] == ["rich_text"]
    assert draft.body[0].value.source == (
        "<p>申报材料如下：</p><ol><li>申请表</li><li>营业执照复印件</li></ol>"
        "<p>注意事项：</p><ul><li>材料须加盖公章</li><li>逾期不予受理</li></ul>"
    )


def test_the_published_page_shows_an_accessible_table_and_search_finds_its_text(client):
    editor = editor_client()
    assert import_new(editor, gongwen_docx()).status_code == 302
    article = ArticlePage.objects.get(title="关于开展科技创新券申报工作的通知")
    article.get_latest_revision().publish()
    article = ArticlePage.objects.get(pk=article.pk)
    doc = get_doc(client, path_of(article))
    table = doc.xpath("//div[@id='article-body']//table")[0]
    assert [th.get("scope") for th in table.xpath(".//th")] == ["col", "col", "col"]
    assert TABLE_WORD in table.text_content()
    assert doc.xpath("//div[@id='article-body']//p[@class='align-right']")[1].text_content() == "2026年3月1日"
    assert doc.xpath("//div[@id='article-body']//figure//img[@alt]")

    found = client.get("/search/api/", {"q": TABLE_WORD}, HTTP_HOST="kjt.localhost").json()
    assert [result["title"] for result in found["results"]] == [article.title]


def test_importing_into_a_page_keeps_the_existing_body_unless_replacing_is_confirmed():
    client = editor_client()
    page = new_draft("tzgg")
    url = f"/admin/content/pages/{page.pk}/import-word/"
    response = client.post(url, {"file": upload(gongwen_docx()), "mode": "replace"})
    assert response.status_code == 200 and "请勾选确认" in response.content.decode()
    assert body_text(page.get_latest_revision_as_object().body) == "正文。"

    response = client.post(url, {"file": upload(gongwen_docx()), "mode": "append"})
    assert response.status_code == 302
    draft = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert body_text(draft.body).startswith("正文。") and TABLE_WORD in body_text(draft.body)
    assert draft.title == "测试稿件"  # a page with a title keeps it; the document's title stays as text
    assert "关于开展科技创新券申报工作的通知" in body_text(draft.body)

    response = client.post(url, {"file": upload(gongwen_docx()), "mode": "replace", "confirm_replace": "on"})
    assert response.status_code == 302
    draft = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert "正文。" not in body_text(draft.body)
    assert page.revisions.count() == 3  # each import is a revision: nothing is lost


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (30 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (zip_bomb(), "炸弹.docx", "压缩炸弹"),
        (b"%PDF-1.4 not a word file", "伪装.docx", "不是有效的 Word"),
        (b"PK\x03\x04" + b"\x00" * 200, "损坏.docx", "不是有效的 Word"),
        (b"plain text", "说明.txt", "只能导入 Word 文件"),
        (b"\xd0\xcf\x11\xe0 old word", "旧格式.doc", "LibreOffice"),
    ],
)
def test_hostile_or_foreign_files_get_a_chinese_message(data, name, message, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 1024 * 1024
    response = import_new(editor_client(), data, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ArticlePage.objects.filter(title="").exists()


def test_a_file_over_the_upload_cap_is_refused(settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    response = import_new(editor_client(), gongwen_docx())
    assert response.status_code == 200 and "文件过大" in response.content.decode()


def test_another_departments_editor_cannot_import_into_a_column_or_page():
    client = verified_client()
    client.force_login(demo_user("jyt-editor"))
    page = new_draft("tzgg")
    refused = [  # Wagtail's admin answers a PermissionDenied with a redirect to the dashboard
        import_new(client, gongwen_docx()),
        client.post(f"/admin/content/pages/{page.pk}/import-word/", {"file": upload(gongwen_docx())}),
        client.post(f"/admin/content/pages/{page.pk}/typeset/"),
    ]
    assert [(r.status_code, r.get("Location")) for r in refused] == [(302, "/admin/")] * 3
    assert not ArticlePage.objects.filter(title="关于开展科技创新券申报工作的通知").exists()
    assert page.revisions.count() == 1


def test_typeset_normalises_punctuation_spaces_empty_paragraphs_and_styles():
    source = (
        '<p>　　当好“试验田”,走出新路子 (张江). 共 3.5 亿元, 见 <a href="http://a.cn/?x=1,2">链接</a></p>'
        '<p> </p><p><span style="font-family:宋体">中 国 科 技</span></p><p>时间 10:30</p>'
    )
    assert typeset_html(source) == (
        '<p>当好“试验田”，走出新路子（张江）。共 3.5 亿元，见 <a href="http://a.cn/?x=1,2">链接</a></p>'
        "<p>中国科技</p><p>时间 10:30</p>"
    )


def test_typeset_saves_a_new_revision_from_the_edit_page():
    client = editor_client()
    page = new_draft("tzgg")
    page.body = "<p>　　第一段,内容。</p><p></p>"
    page.save_revision(user=demo_user("kjt-editor"))
    assert "一键排版" in client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert client.post(f"/admin/content/pages/{page.pk}/typeset/").status_code == 302
    draft = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert body_html(draft.body) == "<p>第一段，内容。</p>"
