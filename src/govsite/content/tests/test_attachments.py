"""Attachments are offered under the name they were uploaded with, and the same file is not uploaded twice."""

import re
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model
from wagtail.models import Collection

from govsite.content.models import ArticleAttachment, ArticlePage
from govsite.testing import demo_user, docx_bytes

from .helpers import get_doc, path_of

pytestmark = pytest.mark.django_db


def a_document(title: str, name: str, content: bytes, collection: Any) -> Any:
    document = get_document_model()(title=title, collection=collection)
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    return document


def test_a_download_is_named_as_uploaded_not_as_stored(client):
    article = ArticlePage.objects.filter(attachments__isnull=False).live().first()
    collection = article.attachments.first().document.collection
    a_document("申报指南（旧）", "申报指南.docx", docx_bytes("旧版"), collection)
    document = a_document("申报指南", "申报指南.docx", docx_bytes("新版"), collection)
    assert re.fullmatch(r"申报指南_[A-Za-z0-9]{7}\.docx", document.filename)  # the storage's suffix
    ArticleAttachment.objects.create(page=article, document=document, sort_order=99)

    link = get_doc(client, path_of(article)).xpath(f"//a[@href='{document.url}']")[0]
    assert link.get("download") == "申报指南.docx"
    response = client.get(document.url, HTTP_HOST="kjt.localhost")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment") and quote("申报指南.docx") in disposition
    assert quote(document.filename) not in disposition


def test_uploading_a_file_that_is_already_in_the_library_offers_the_existing_one(client):
    client.force_login(demo_user("kjt-editor"))
    collection = Collection.objects.get(name="科学技术厅")
    content = docx_bytes("2026年度自治区科技计划项目申报指南")

    def upload(name: str, data: bytes, title: str):
        file = SimpleUploadedFile(name, data)
        return client.post(
            "/admin/documents/add/", {"title": title, "file": file, "collection": collection.pk}
        )

    assert upload("申报指南.docx", content, "申报指南").status_code == 302
    count = get_document_model().objects.count()
    response = upload("申报指南（再传）.docx", content, "申报指南（再传）")
    assert response.status_code == 200
    page = response.content.decode()
    assert "素材库中已有内容相同的文件“申报指南”" in page
    assert get_document_model().objects.count() == count
    # a different file uploads as before
    assert upload("另一个.docx", docx_bytes("另一个文件"), "另一个").status_code == 302
