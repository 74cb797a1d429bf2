"""A department's files stay its own: downloads, attachments, rich-text links and publication.

Security issue 11: the 教育厅 editor could download the 科技厅's unpublished file, attach it to a 教育厅
article by id and, by publishing that article, make it public to everyone.
"""

import io
import uuid
from collections.abc import Sequence

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.test import Client
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Site
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from govsite.content import lifecycle as actions
from govsite.content.body import body_html
from govsite.content.models import ArticleAttachment, ArticlePage
from govsite.content.tests.helpers import editor_post
from govsite.demo.builder import minimal_pdf

pytestmark = pytest.mark.django_db


def user(name: str):
    return get_user_model().objects.get(username=name)


def a_document(collection_name: str, title: str = "内部文件"):
    document = get_document_model()(title=title, collection=Collection.objects.get(name=collection_name))
    document.file.save(f"{uuid.uuid4().hex[:6]}-neibu.pdf", ContentFile(minimal_pdf("secret")), save=False)
    document.save()
    return document


def kjt_document(title: str = "科技厅内部文件"):
    return a_document("科学技术厅", title)


def an_article(host: str) -> ArticlePage:
    root = Site.objects.get(hostname=host).root_page
    return ArticlePage.objects.descendant_of(root).live().filter(attachments__isnull=True).first()


def edit_data(
    client: Client, page: ArticlePage, body: str = "<p>正文。</p>", attachments: Sequence[int] = ()
) -> dict[str, str]:
    """The page editor's 保存草稿 of `page` with `body` and the documents `attachments` attached."""
    attached = [{"document": str(pk), "title": ""} for pk in attachments]
    fields = nested_form_data({"attachments": inline_formset(attached)}) if attachments else {}
    return editor_post(client, f"/admin/pages/{page.pk}/edit/", body=body, **fields)


# --- downloads -----------------------------------------------------------------------------------
def test_an_editor_cannot_download_another_departments_unpublished_document(client):
    document = kjt_document()
    assert client.get(document.url).status_code == 404  # the public
    client.force_login(user("jyt-editor"))
    assert client.get(document.url).status_code == 404  # another department's editor
    client.force_login(user("kjt-editor"))
    assert client.get(document.url).status_code == 200  # its own department previews it
    client.force_login(user("platform-admin"))
    assert client.get(document.url).status_code == 200


# --- choosing files in the page editor -----------------------------------------------------------
def test_the_attachment_field_refuses_another_departments_document(client):
    page, document = an_article("jyt.localhost"), kjt_document()
    client.force_login(user("jyt-editor"))
    response = client.post(
        f"/admin/pages/{page.pk}/edit/", edit_data(client, page, attachments=[document.pk])
    )
    assert response.status_code == 200  # the editor again, with the error
    assert "不在您可使用的素材库中" in response.content.decode()
    assert "科技厅内部文件" not in response.content.decode()  # nor is its title disclosed
    latest = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert document.pk not in [a.document_id for a in latest.attachments.all()]

    own = a_document("教育厅", "教育厅附件")
    response = client.post(f"/admin/pages/{page.pk}/edit/", edit_data(client, page, attachments=[own.pk]))
    assert response.status_code == 302
    latest = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert [a.document_id for a in latest.attachments.all()] == [own.pk]


def test_rich_text_document_links_must_be_files_the_editor_may_choose(client):
    page, document = an_article("jyt.localhost"), kjt_document()
    client.force_login(user("jyt-editor"))
    body = f'<p>见<a linktype="document" id="{document.pk}">附件</a>。</p>'
    response = client.post(f"/admin/pages/{page.pk}/edit/", edit_data(client, page, body=body))
    assert response.status_code == 200
    assert "不在您可使用的素材库中" in response.content.decode()
    assert document.filename not in response.content.decode()  # the editor shows the text, not the link
    latest = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert f'id="{document.pk}"' not in body_html(latest.body)

    missing = f'<p>见<a linktype="document" id="{document.pk + 100000}">附件</a>。</p>'
    response = client.post(f"/admin/pages/{page.pk}/edit/", edit_data(client, page, body=missing))
    assert response.status_code == 200 and "不在您可使用的素材库中" in response.content.decode()

    own = a_document("教育厅", "教育厅附件")
    body = f'<p>见<a linktype="document" id="{own.pk}">附件</a>。</p>'
    assert client.post(f"/admin/pages/{page.pk}/edit/", edit_data(client, page, body=body)).status_code == 302
    assert f'id="{own.pk}"' in body_html(
        ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object().body
    )

    # A link put in by a platform administrator is not lost when the department's editor saves again.
    page = ArticlePage.objects.get(pk=page.pk)
    page.body = f'<p>见<a linktype="document" id="{document.pk}">附件</a>。</p>'
    page.save_revision(user=user("platform-admin"))
    body = body_html(ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object().body)
    assert client.post(f"/admin/pages/{page.pk}/edit/", edit_data(client, page, body=body)).status_code == 302


# --- publication ---------------------------------------------------------------------------------
def test_a_page_of_another_department_does_not_make_a_document_public(client):
    document = kjt_document()
    jyt_page = an_article("jyt.localhost")
    ArticleAttachment.objects.create(page=jyt_page, document=document)
    jyt_page.save_revision(user=user("platform-admin")).publish(user=user("platform-admin"))
    assert ArticlePage.objects.get(pk=jyt_page.pk).live
    assert client.get(document.url).status_code == 404  # a 教育厅 page cannot publish it

    kjt_page = an_article("kjt.localhost")
    ArticleAttachment.objects.create(page=kjt_page, document=document)
    kjt_page.save_revision(user=user("platform-admin")).publish(user=user("platform-admin"))
    assert client.get(document.url).status_code == 200  # the 科技厅's own page can
    actions.withdraw(kjt_page, user("platform-admin"), "notice", "撤回")
    assert client.get(document.url).status_code == 404


def test_rich_text_images_must_be_images_the_editor_may_choose(client):
    page = an_article("jyt.localhost")
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    image = get_image_model().objects.create(
        title="科技厅内部图片",
        collection=Collection.objects.get(name="科学技术厅"),
        file=ImageFile(buffer, name="neibu.png"),
    )
    client.force_login(user("jyt-editor"))
    body = f'<p>图：</p><embed embedtype="image" id="{image.pk}" format="fullwidth" alt="图"/>'
    response = client.post(f"/admin/pages/{page.pk}/edit/", edit_data(client, page, body=body))
    assert response.status_code == 200
    assert "图片（编号" in response.content.decode()
    latest = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert f'id="{image.pk}"' not in body_html(latest.body)
