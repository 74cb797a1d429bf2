"""Uploads cannot stall the site: a zip bomb is refused, text is extracted by a task, sizes are capped."""

import io
import time
import tracemalloc
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django_tasks import TaskResultStatus
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from govsite.content.extract import extract_text
from govsite.content.models import DocumentText
from govsite.testing import verified_client

pytestmark = pytest.mark.django_db
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx(paragraphs: list[str], padding_mb: int = 0) -> bytes:
    """A minimal Word file; `padding_mb` of blank space inside document.xml makes it a zip bomb
    (a few tens of kilobytes that expand to that many megabytes)."""
    body = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
    xml = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{body}'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(xml.encode())
            block = b" " * (1024 * 1024)
            for _ in range(padding_mb):
                part.write(block)
            part.write(b"</w:body></w:document>")
    return buffer.getvalue()


def admin_client() -> Client:
    client = verified_client()
    client.force_login(get_user_model().objects.get(username="platform-admin"))
    return client


def test_a_zip_bomb_docx_is_refused_quickly_with_bounded_memory() -> None:
    bomb = docx(["张江示范区"], padding_mb=60)
    assert len(bomb) < 200 * 1024
    tracemalloc.start()
    started = time.monotonic()
    text = extract_text(bomb, "docx")
    elapsed = time.monotonic() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert text == ""
    assert elapsed < 1.0
    assert peak < 5 * 1024 * 1024  # nothing of the 60 MB was decompressed


def test_a_zip_bomb_upload_is_refused_with_a_message() -> None:
    Document = get_document_model()
    count = Document.objects.count()
    file = SimpleUploadedFile("bomb.docx", docx(["张江"], padding_mb=60))
    response = admin_client().post("/admin/documents/add/", {"title": "炸弹", "file": file, "collection": 1})
    assert response.status_code == 200
    assert "压缩炸弹" in response.content.decode()
    assert Document.objects.count() == count


def test_an_oversize_upload_is_refused_with_a_message() -> None:
    Document = get_document_model()
    count = Document.objects.count()
    file = SimpleUploadedFile("big.txt", b"x" * (50 * 1024 * 1024 + 1))
    response = admin_client().post(
        "/admin/documents/add/", {"title": "大文件", "file": file, "collection": 1}
    )
    assert response.status_code == 200
    assert "文件过大" in response.content.decode()
    assert Document.objects.count() == count


def test_the_upload_request_queues_the_extraction_instead_of_running_it(database_tasks: None) -> None:
    from django_tasks_db.models import DBTaskResult

    file = SimpleUploadedFile("guide.docx", docx(["鄂尔多斯氢能示范项目申报须知"]))
    response = admin_client().post(
        "/admin/documents/add/", {"title": "申报须知", "file": file, "collection": 1}
    )
    assert response.status_code == 302
    document = get_document_model().objects.get(title="申报须知")
    assert not DocumentText.objects.filter(document=document).exists()  # not parsed in the request
    queued = DBTaskResult.objects.get(task_path="govsite.search.tasks.extract_document_text")
    assert queued.status == TaskResultStatus.READY and queued.args_kwargs["args"] == [document.pk]

    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", "--no-reload", verbosity=0)
    assert "鄂尔多斯氢能示范项目" in DocumentText.objects.get(document=document).text


def test_a_refused_extraction_is_recorded_not_raised(database_tasks: None) -> None:
    """A bomb stored before the upload check existed: the task records why, the text stays empty."""
    from django.core.files.base import ContentFile

    from govsite.search.tasks import extract_document_text

    document = get_document_model()(title="旧炸弹")
    document.file.save("old.docx", ContentFile(docx(["张江"], padding_mb=30)), save=False)
    document.save()
    extract_document_text.call(document.pk)
    stored = DocumentText.objects.get(document=document)
    assert stored.text == "" and "未提取文本" in stored.error


BROKEN_GIF = b"GIF89a\x10\x00\x10\x00\x80\x00\x00" + b"\x00" * 20


def test_a_malformed_gif_is_a_form_error_not_a_500() -> None:
    client = admin_client()
    count = get_image_model().objects.count()
    response = client.post(
        "/admin/images/add/",
        {
            "title": "坏图",
            "description": "坏图",
            "file": SimpleUploadedFile("bad.gif", BROKEN_GIF, "image/gif"),
            "collection": 1,
        },
    )
    assert response.status_code == 200
    assert "无法读取这张图片" in response.content.decode()
    response = client.post(
        "/admin/images/multiple/add/",
        {"files[]": SimpleUploadedFile("bad.gif", BROKEN_GIF, "image/gif"), "collection": 1},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 200
    assert response.json()["success"] is False
    assert "无法读取这张图片" in response.json()["error_message"]
    assert get_image_model().objects.count() == count


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("通知.pdf", b"<html><script>alert(1)</script></html>"),
        ("报表.xlsx", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
        ("说明.txt", b"<!DOCTYPE html><html><body onload=alert(1)>"),
        ("公告.doc", b"MZ\x90\x00\x03\x00\x00\x00"),
    ],
)
def test_a_document_whose_content_is_not_its_type_is_refused(name: str, content: bytes) -> None:
    """等保 E9: allowed by content, not by name: a page or a program named like a document is refused."""
    Document = get_document_model()
    count = Document.objects.count()
    file = SimpleUploadedFile(name, content)
    response = admin_client().post("/admin/documents/add/", {"title": "伪装", "file": file, "collection": 1})
    assert response.status_code == 200
    assert "文件内容与扩展名" in response.content.decode()
    assert Document.objects.count() == count
