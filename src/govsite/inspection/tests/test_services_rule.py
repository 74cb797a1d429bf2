"""V6 服务不实用 on seeded violations and on a clean site: 0 missed violations, 0 false alarms."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection

from govsite.content.models import ArticlePage, ColumnPage, ColumnType
from govsite.inspection.indicators import services as v6
from govsite.inspection.rules import RULES, Kind, Status
from govsite.services.models import ServiceMaterial
from govsite.services.tests.helpers import blank_out, publish_guide, services_column

pytestmark = pytest.mark.django_db
FOUR = ("legal_basis", "conditions", "hours", "procedure")  # four categories: the veto's count


def keys(outcome) -> list[str]:
    return [finding.key for finding in outcome.findings]


def test_v6_is_a_registered_veto_rule():
    assert RULES["V6"].kind == Kind.VETO and RULES["V6"].title == "服务不实用"


def test_clean_site_passes_with_no_finding_and_says_links_await_the_link_checker(kjt_site):
    outcome = v6.check(kjt_site)  # the demo's five complete guides, their forms public
    assert outcome.status == Status.PASS and outcome.findings == []
    assert outcome.measured.startswith("办事指南 5 个，缺少要素 0 个") and "待外链检测" in outcome.measured


def test_a_site_without_services_fails(jyt_site):
    outcome = v6.check(jyt_site)
    assert outcome.status == Status.FAIL and keys(outcome) == ["V6:none"]
    assert "未提供办事服务" in outcome.findings[0].message


def test_an_empty_services_column_fails(jyt_site):
    column = ColumnPage(
        title="办事服务", slug="bsfw", column_type=ColumnType.SERVICES, description="办事", keywords="办事"
    )
    jyt_site.root_page.add_child(instance=column)
    column.save_revision().publish()
    outcome = v6.check(jyt_site)
    assert outcome.status == Status.FAIL and outcome.findings[0].message == "办事服务栏目无内容"
    assert outcome.findings[0].page_id == column.pk


def test_guides_missing_elements_warn_then_veto_at_five_guides_missing_four(kjt_site):
    light = publish_guide(kjt_site, "qs", fees="无")
    blank_out(light, "phone")
    outcome = v6.check(kjt_site)
    assert outcome.status == Status.WARN and keys(outcome) == [f"V6:gaps:{light.pk}"]
    assert outcome.findings[0].message == "办事指南《qs办事指南》缺少 1 类要素：联系电话"
    assert outcome.findings[0].page_id == light.pk and outcome.findings[0].fix

    severe = [publish_guide(kjt_site, f"yz{n}") for n in range(5)]
    for guide in severe[:4]:
        blank_out(guide, *FOUR)
    assert v6.check(kjt_site).status == Status.WARN  # four guides missing four: below the line
    blank_out(severe[4], *FOUR[:3])
    assert v6.check(kjt_site).status == Status.WARN  # the fifth misses three only
    blank_out(severe[4], *FOUR)
    outcome = v6.check(kjt_site)
    assert outcome.status == Status.FAIL and len(outcome.findings) == 6
    assert "缺少 4 类以上 5 个（否决线 5 个）" in outcome.measured


def test_an_unpublished_or_complete_guide_is_no_finding(kjt_site):
    draft = publish_guide(kjt_site, "cg")
    draft.unpublish()
    blank_out(draft, *FOUR)
    answered = publish_guide(kjt_site, "wu", materials=[], materials_note="无", fees="无", hours="无")
    assert answered.element_gaps() == []
    assert v6.check(kjt_site).findings == []


def test_material_files_missing_or_of_another_department_are_findings(kjt_site):
    document_model = get_document_model()
    gone = document_model(title="已丢失的表格", collection=Collection.objects.get(name="科学技术厅"))
    gone.file.save("diushi.docx", ContentFile(b"x"), save=False)
    gone.save()
    gone.file.storage.delete(gone.file.name)
    foreign = document_model(title="教育厅表格", collection=Collection.objects.get(name="教育厅"))
    foreign.file.save("jyt.docx", ContentFile(b"x"), save=False)
    foreign.save()
    guide = publish_guide(
        kjt_site,
        "fj",
        materials=[
            ServiceMaterial(name="申请表", document=gone),
            ServiceMaterial(name="承诺书", document=foreign),
            ServiceMaterial(name="营业执照"),
        ],
    )
    outcome = v6.check(kjt_site)
    assert outcome.status == Status.WARN
    messages = [finding.message for finding in outcome.findings]
    assert messages == [
        "办事指南《fj办事指南》的材料“申请表”附件文件缺失",
        "办事指南《fj办事指南》的材料“承诺书”附件不能公开下载",
    ]
    assert all(finding.page_id == guide.pk for finding in outcome.findings)


def test_a_guide_written_as_an_article_is_read_for_the_element_headings(kjt_site):
    body = (
        "<p>一、事项名称：甲。</p><p>二、实施机关：乙。</p><p>三、设定依据：丙。</p><p>四、申请条件：丁。</p>"
    )
    article = ArticlePage(title="某事项办事指南", slug="wzxs", body=body, source="本厅")
    services_column(kjt_site).add_child(instance=article)
    article.save_revision().publish()
    notice = ArticlePage(title="关于窗口调整的通知", slug="tz", body="<p>窗口调整。</p>", source="本厅")
    services_column(kjt_site).add_child(instance=notice)  # not a guide: not read for elements
    notice.save_revision().publish()
    outcome = v6.check(kjt_site)
    assert keys(outcome) == [f"V6:gaps:{article.pk}"]
    assert outcome.findings[0].message.endswith(
        "缺少 6 类要素：办理材料、办理地点、收费标准、办理时间、联系电话、办理流程"
    )


def test_the_link_checker_gets_every_online_address_and_no_material_file(kjt_site, monkeypatch):
    """Material files are checked from storage (one finding per file), the 在线办理 addresses by the
    link checker."""
    asked = []

    def checker(site, urls):
        asked.extend(urls)
        return {url: ("HTTP 404" if "innocom" in url else "") for url in urls}

    monkeypatch.setattr(v6, "check_service_links", checker)
    outcome = v6.check(kjt_site)
    assert "http://www.innocom.gov.cn/" in asked and "https://fuwu.most.gov.cn/" in asked
    assert not [url for url in asked if "/documents/" in url]
    assert outcome.status == Status.WARN and "待外链检测" not in outcome.measured
    assert [f.message for f in outcome.findings] == ["办事指南《高新技术企业认定办事指南》的链接无法正常访问"]
    assert outcome.findings[0].evidence == "http://www.innocom.gov.cn/：HTTP 404"
