"""办事指南: the ten elements (answered or “无”), the editor's messages, department files, both versions."""

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from govsite.checks.models import WordRule
from govsite.checks.services import run_checks
from govsite.content.tests.helpers import editor_post, get_doc, meta, path_of
from govsite.demo.data.wordlists import SERVICE_SENTENCES
from govsite.services.elements import ELEMENTS, MATERIALS_MESSAGE, required_message, text_gaps
from govsite.services.models import ServiceGuidePage, ServiceMaterial

from .helpers import COMPLETE, services_column

pytestmark = pytest.mark.django_db
LABELS = [label for _name, label in ELEMENTS]


def a_guide(**fields: str) -> ServiceGuidePage:
    return ServiceGuidePage(title="测试办事指南", **{**COMPLETE, **fields})


# --- the elements --------------------------------------------------------------------------------
def test_a_complete_guide_has_no_gaps_and_none_answers_an_element():
    guide = a_guide(fees="无", hours="无")
    guide.materials = [ServiceMaterial(name="申请表")]
    assert guide.element_gaps() == []


def test_empty_elements_are_gaps_in_checklist_order():
    guide = a_guide(legal_basis="", phone="  ", procedure="")
    assert guide.element_gaps() == ["设定依据", "办理材料", "联系电话", "办理流程"]  # no material either
    guide.materials_note = "无"  # no material needed, said explicitly
    assert guide.element_gaps() == ["设定依据", "联系电话", "办理流程"]


def test_service_links_are_the_online_address_and_the_material_files(kjt_site):
    document = get_document_model().objects.filter(collection__name="科学技术厅").first()
    guide = a_guide(online_url="https://zwfw.nmg.gov.cn/item/1")
    guide.materials = [ServiceMaterial(name="申请表", document=document), ServiceMaterial(name="营业执照")]
    assert guide.service_links() == ["https://zwfw.nmg.gov.cn/item/1", document.url]


def test_text_gaps_read_the_usual_headings_of_a_guide_written_as_an_article():
    text = "一、事项名称：甲。二、实施机关：乙。三、法律依据：丙。四、申请条件：丁。"
    text += "五、申请材料：戊。九、咨询电话：1"
    assert text_gaps(text) == ["办理地点", "收费标准", "办理时间", "办理流程"]


def test_the_pre_publication_checks_read_every_element_and_material(kjt_site):
    WordRule.objects.create(site=kjt_site, kind="sensitive", word="科技厅专用禁词")
    guide = a_guide(procedure="1.提交；\n2.科技厅专用禁词。")
    guide.materials = [ServiceMaterial(name="申请表", requirement="科技厅专用禁词")]
    guide.live = False
    services_column(kjt_site).add_child(instance=guide)
    found = {(f.field, f.match) for f in run_checks(guide) if f.match == "科技厅专用禁词"}
    assert found == {("procedure", "科技厅专用禁词"), ("materials", "科技厅专用禁词")}


def test_the_generated_sites_guides_lack_the_hours_and_the_procedure():
    """What V6 reports on the generated demo sites, whose 办事指南 are articles (docs/services.md)."""
    assert text_gaps("\n".join(SERVICE_SENTENCES)) == ["办理时间", "办理流程"]


# --- the editor ----------------------------------------------------------------------------------
def add_url(site) -> str:
    return f"/admin/pages/add/govsite_services/serviceguidepage/{services_column(site).pk}/"


def guide_post(client, url: str, materials: list[dict[str, str]], **fields: str) -> dict[str, str]:
    formset = nested_form_data({"materials": inline_formset(materials)})
    values = {**COMPLETE, "title": "新办事指南", "slug": "", "materials_note": "", **fields}
    return editor_post(client, url, **formset, **values)


def test_the_editor_says_how_to_answer_an_element_that_does_not_apply(client, kjt_site):
    client.force_login(get_user_model().objects.get(username="kjt-editor"))
    url = add_url(kjt_site)
    submit = {"action-submit": "提交审核"}
    response = client.post(url, guide_post(client, url, [], legal_basis="", fees="", **submit))
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("设定依据", "收费标准"):
        assert required_message(label) in html
    assert MATERIALS_MESSAGE in html
    assert not ServiceGuidePage.objects.filter(title="新办事指南").exists()

    response = client.post(url, guide_post(client, url, [], fees="无", materials_note="无", **submit))
    assert response.status_code == 302
    saved = ServiceGuidePage.objects.get(title="新办事指南")
    assert saved.fees == "无" and saved.get_latest_revision_as_object().element_gaps() == []


def test_a_draft_may_leave_elements_for_later(client, kjt_site):
    client.force_login(get_user_model().objects.get(username="kjt-editor"))
    url = add_url(kjt_site)
    assert client.post(url, guide_post(client, url, [], legal_basis="")).status_code == 302
    draft = ServiceGuidePage.objects.get(title="新办事指南").get_latest_revision_as_object()
    assert draft.element_gaps() == ["设定依据", "办理材料"]


def a_document(collection_name: str, title: str):
    document = get_document_model()(title=title, collection=Collection.objects.get(name=collection_name))
    document.file.save(f"{uuid.uuid4().hex[:6]}-biaoge.docx", ContentFile(b"form"), save=False)
    document.save()
    return document


def test_a_material_file_must_come_from_the_editors_own_department(client, kjt_site):
    client.force_login(get_user_model().objects.get(username="kjt-editor"))
    url = add_url(kjt_site)
    foreign = a_document("教育厅", "教育厅内部表格")
    materials = [{"name": "申请表", "requirement": "", "document": str(foreign.pk)}]
    response = client.post(url, guide_post(client, url, materials))
    assert response.status_code == 200
    html = response.content.decode()
    assert "不在您可使用的素材库中" in html and "教育厅内部表格" not in html
    assert not ServiceGuidePage.objects.filter(title="新办事指南").exists()

    own = a_document("科学技术厅", "科技厅申请表")
    materials = [{"name": "申请表", "requirement": "原件 1 份", "document": str(own.pk)}]
    assert client.post(url, guide_post(client, url, materials)).status_code == 302
    guide = ServiceGuidePage.objects.get(title="新办事指南")
    assert [m.document_id for m in guide.get_latest_revision_as_object().materials.all()] == [own.pk]


# --- the public page -----------------------------------------------------------------------------
def demo_guide(kjt_site, slug: str = "gxjsqy-rd") -> ServiceGuidePage:
    return ServiceGuidePage.objects.descendant_of(kjt_site.root_page).get(slug=slug)


@pytest.mark.parametrize("prefix", ["", "/elder"], ids=["standard", "elder"])
def test_the_guide_shows_its_ten_elements_materials_and_online_link(client, kjt_site, prefix):
    guide = demo_guide(kjt_site)
    doc = get_doc(client, prefix + path_of(guide))
    assert doc.xpath("//table[@class='guide-table']//th[@scope='row']/text()")[: len(LABELS)] == LABELS
    materials = doc.xpath("//tr[@id='materials']//li")
    assert len(materials) == 8 and "高新技术企业认定申请书" in materials[0].text_content()
    download = materials[0].xpath(".//a")[0]
    assert download.text_content() == "下载高新技术企业认定申请书（DOCX）"
    assert client.get(download.get("href"), HTTP_HOST="kjt.localhost").status_code == 200  # public once used
    assert doc.xpath("//a[contains(@class, 'guide-button')]/@href") == ["http://www.innocom.gov.cn/"]
    assert doc.xpath("//h1/text()") == ["高新技术企业认定办事指南"]
    if prefix:
        assert "version-elder" in doc.xpath("//html/@class")[0]
    tags = meta(doc)
    assert tags["ColumnType"] == "办事服务" and tags["ArticleTitle"] == "高新技术企业认定办事指南"
    assert tags["PubDate"] == "2021-04-10 09:00" and tags["ContentSource"].startswith("内蒙古自治区")


def test_demo_guides_are_complete_and_listed_in_their_column(client, kjt_site):
    guides = list(ServiceGuidePage.objects.descendant_of(kjt_site.root_page).live())
    assert len(guides) == 5 and all(guide.element_gaps() == [] for guide in guides)
    doc = get_doc(client, path_of(services_column(kjt_site)))
    listed = doc.xpath("//ul[@class='page-list']//a/text()")
    assert "科技型中小企业评价办事指南" in listed and "外国人来华工作许可办事指南" in listed
