"""What the server guarantees for 无障碍 and the 长辈版 (the browser suite checks what readers see)."""

import io

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from lxml import html
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form, get_image_multi_form
from wagtail.models import Collection

from govsite.content.tests.helpers import get_doc, path_of, seed_article
from govsite.versions.pinyin_data import OUTPUT, common_characters, render_script

pytestmark = pytest.mark.django_db


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), "#0b4f9c").save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def _image_form(data: dict, files: dict | None = None, instance=None):
    form_class = get_image_form(get_image_model())
    collection = Collection.get_first_root_node()
    return form_class(data={"collection": collection.pk, **data}, files=files, instance=instance)


def test_image_upload_requires_alt_text():
    form = _image_form({"title": "办公楼"}, {"file": _png()})
    assert not form.is_valid()
    assert form.errors["description"] == ["请填写替代文本：说明图片的内容或用途。"]
    assert form.fields["description"].label == "替代文本（图片说明）"

    form = _image_form({"title": "办公楼", "description": "自治区科技厅办公楼外景"}, {"file": _png()})
    assert form.is_valid(), form.errors
    image = form.save()
    # Rich text takes an image's default alt text from its description.
    assert image.default_alt_text == "自治区科技厅办公楼外景"


def test_image_edit_and_multiple_upload_forms_require_alt_text():
    image = get_image_model().objects.create(
        title="旧图", file=_png(), collection=Collection.get_first_root_node()
    )
    form = _image_form({"title": "旧图", "description": ""}, instance=image)
    assert not form.is_valid() and "description" in form.errors

    multi = get_image_multi_form(get_image_model())(
        data={"title": "旧图", "description": "", "collection": image.collection_id}, instance=image
    )
    assert not multi.is_valid() and "description" in multi.errors


class _Feedback(forms.Form):
    name = forms.CharField(label="姓名", help_text="请填写真实姓名")
    phone = forms.CharField(label="联系电话")


def test_form_include_ties_labels_help_and_errors_to_fields():
    form = _Feedback(data={"name": "", "phone": "12345"})
    assert not form.is_valid()
    doc = html.fromstring(f"<form>{render_to_string('includes/form.html', {'form': form})}</form>")
    name = doc.get_element_by_id("id_name")
    assert doc.xpath("string(//label[@for='id_name'])") == "姓名（必填）"
    assert name.get("aria-invalid") == "true"
    described = name.get("aria-describedby").split()
    assert doc.get_element_by_id(described[0]).text_content() == "请填写真实姓名"
    assert doc.get_element_by_id("id_name_error").text_content() == "必需字段"
    assert "id_name_error" in described
    summary = doc.xpath("//div[@role='alert']")[0]
    assert summary.xpath(".//a/@href") == ["#id_name"]
    phone = doc.get_element_by_id("id_phone")
    assert phone.get("aria-invalid") is None and doc.xpath("//label[@for='id_phone']")


def test_pinyin_table_is_generated_and_up_to_date():
    """The committed static file is exactly what `govsite build_pinyin` writes today."""
    chars = common_characters()
    assert len(chars) == 3755 and chars[0] == "啊" and chars[-1] == "座"
    text = OUTPUT.read_text(encoding="utf-8")
    assert text == render_script(), "run `govsite build_pinyin` and commit the result"
    assert "zhōng:" in text and "中" in text.split("zhōng:")[1].split("|")[0]
    assert len(text.encode("utf-8")) < 25_000


def test_toolbar_is_not_loaded_with_the_page(client):
    """Only site.js is a page script; the toolbar's files are named on the button, for site.js to load."""
    doc = get_doc(client, path_of(seed_article()))
    assert doc.xpath("//script/@src") == ["/static/govsite/js/site.js"]
    button = doc.xpath("//button[@data-a11y-toolbar]")[0]
    assert button.get("data-a11y-toolbar").endswith("versions/toolbar.js")
    assert button.get("data-a11y-css").endswith("versions/toolbar.css")
    assert button.get("data-a11y-pinyin").endswith("versions/pinyin.js")
    assert not doc.xpath("//*[@style]") and not doc.xpath("//style") and not doc.xpath("//script[not(@src)]")


def test_elder_article_is_simplified_and_can_be_read_aloud(client):
    url = path_of(seed_article())
    standard, elder = get_doc(client, url), get_doc(client, "/elder" + url)
    for doc in (standard, elder):
        assert doc.xpath("//button[contains(@class,'read-aloud')]/text()") == ["朗读全文"]
        assert doc.xpath("//button[contains(@class,'print-page')]")
        assert len(doc.xpath("//h1")) == 1
    # The 长辈版 has no pop-up share panel and no link to a third-party site inside the content.
    assert standard.xpath("//details[contains(@class,'share-wechat')]")
    assert not elder.xpath("//details[contains(@class,'share-wechat')]")
    assert not elder.xpath("//main//a[starts-with(@href,'http')]")
    assert not elder.xpath("//marquee | //iframe | //video | //audio | //embed | //object")


def test_every_internal_link_on_elder_pages_keeps_the_prefix(client):
    for url in [
        "/elder/",
        "/elder/kjdt/mtjj/",
        "/elder" + path_of(seed_article()),
        "/elder/wzsm/",
        "/elder/sitemap/",
    ]:
        doc = get_doc(client, url)
        for href in doc.xpath("//a/@href"):
            if href.startswith("/") and not href.startswith(("//", "/documents/", "/media/")):
                assert href.startswith("/elder/") or href == url.removeprefix("/elder"), (url, href)
