"""Each pre-publication check, on real examples."""

import io
import uuid
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Page, Site

from govsite.checks.models import Leader, WordRule
from govsite.checks.rules import (
    TextPart,
    check_leaders,
    check_personal_data,
    check_words,
    id_card_checksum_ok,
    luhn_ok,
)
from govsite.checks.services import run_checks
from govsite.content.models import ArticleAttachment, ArticlePage, ColumnPage

VALID_ID = "11010519491231002X"  # GB 11643 example: the check character X is right
INVALID_ID = "110105194912310021"  # same number, wrong check digit
VALID_CARD = "6222021234567890128"  # passes Luhn
INVALID_CARD = "6222021234567890125"


def codes(findings: list) -> list[str]:
    return [f.code for f in findings]


def body(text: str) -> TextPart:
    return TextPart("body", "正文", text)


def test_id_card_with_valid_checksum_is_caught_and_invalid_is_not():
    assert id_card_checksum_ok(VALID_ID)
    assert not id_card_checksum_ok(INVALID_ID)
    caught = check_personal_data(body(f"申请人身份证号：{VALID_ID}，请核对。"))
    assert codes(caught) == ["id_card"]
    assert caught[0].blocking and f"【{VALID_ID}】" in caught[0].context
    assert check_personal_data(body(f"编号 {INVALID_ID} 的材料")) == []
    assert check_personal_data(body(f"身份证 {VALID_ID.lower()}"))  # a lower-case x is still an ID


def test_mobile_numbers_are_caught_but_landlines_and_long_numbers_are_not():
    assert codes(check_personal_data(body("联系人：李某，电话 13912345678。"))) == ["mobile"]
    assert codes(check_personal_data(body("手机 139-1234-5678"))) == ["mobile"]
    assert check_personal_data(body("咨询电话：0471-6328766")) == []
    assert check_personal_data(body("文号 2021139123456789")) == []  # digits inside a longer number


def test_bank_card_numbers_are_caught_only_with_a_valid_luhn_digit():
    assert luhn_ok(VALID_CARD) and not luhn_ok(INVALID_CARD)
    assert codes(check_personal_data(body(f"汇款至账户 {VALID_CARD}"))) == ["bank_card"]
    assert codes(check_personal_data(body("卡号 6222 0212 3456 7890 128"))) == ["bank_card"]
    assert check_personal_data(body(f"汇款至账户 {INVALID_CARD}")) == []


def rule(word: str, suggestion: str = "", kind: str = "sensitive", severity: str = "blocking"):
    return SimpleNamespace(word=word, suggestion=suggestion, kind=kind, severity=severity)


def test_sensitive_words_and_wrong_expressions_with_suggestions():
    rules = [
        rule("台湾政府", "台湾当局", "wording"),
        rule("其它", "其他", "wording", "warning"),
        rule("反动口号"),
    ]
    found = check_words(body("会议指出，台湾政府的做法……其它事项另行通知。出现反动口号。"), rules)
    by_word = {f.match: f for f in found}
    assert set(by_word) == {"台湾政府", "其它", "反动口号"}
    assert by_word["台湾政府"].suggestion == "应为“台湾当局”" and by_word["台湾政府"].blocking
    assert not by_word["其它"].blocking
    assert by_word["反动口号"].message == "含有敏感词“反动口号”"
    assert "【其它】" in by_word["其它"].context


def leaders() -> list[SimpleNamespace]:
    def leader(name: str, title: str) -> SimpleNamespace:
        return SimpleNamespace(name=name, title=title, titles=title.split("、"))

    return [leader("张明远", "党组书记、厅长"), leader("李文博", "副厅长")]


def test_a_leader_with_the_wrong_title_is_caught():
    found = check_leaders(body("副厅长张明远出席会议并讲话。"), leaders())
    assert codes(found) == ["leader_title"]
    assert "党组书记、厅长" in found[0].message and found[0].blocking
    found = check_leaders(body("会议由李文博厅长主持。"), leaders())
    assert codes(found) == ["leader_title"]


def test_leaders_with_their_right_titles_pass():
    text = "党组书记、厅长张明远，副厅长李文博出席。张明远强调……李文博同志指出……"
    assert check_leaders(body(text), leaders()) == []


def test_a_wrong_character_in_a_leaders_name_is_caught():
    found = check_leaders(body("厅长张明违在会上讲话。"), leaders())
    assert codes(found) == ["leader_name"]
    assert found[0].match == "张明违" and found[0].suggestion == "应为“张明远”"


# --- whole pages, with the site's lists ----------------------------------------------------------
pytestmark = pytest.mark.django_db


def kjt() -> Site:
    return Site.objects.get(hostname="kjt.localhost")


def column(slug: str = "gzdt") -> ColumnPage:
    return ColumnPage.objects.descendant_of(kjt().root_page).get(slug=slug)


def draft(html: str, **fields) -> ArticlePage:
    fields.setdefault("source", "内蒙古自治区科学技术厅")
    fields.setdefault("slug", f"check-{uuid.uuid4().hex[:8]}")
    page = ArticlePage(title=fields.pop("title", "检查用稿件"), body=html, live=False, **fields)
    column().add_child(instance=page)
    return page


def test_page_checks_use_the_sites_own_lists():
    WordRule.objects.create(site=kjt(), kind="sensitive", word="科技厅专用禁词")
    jyt = Site.objects.get(hostname="jyt.localhost")
    WordRule.objects.create(site=jyt, kind="sensitive", word="教育厅专用禁词")
    page = draft("<p>科技厅专用禁词与教育厅专用禁词。副厅长张明远出席。</p>")
    found = {f.match for f in run_checks(page)}
    assert "科技厅专用禁词" in found
    assert "教育厅专用禁词" not in found
    assert "副厅长张明远" in found  # demo leaders of the S&T department
    assert Leader.objects.filter(site=kjt(), name="张明远").exists()


def test_links_internal_broken_unpublished_and_external_with_an_injected_checker():
    unpublished = draft("<p>草稿</p>", title="未发布的稿件")
    live = ArticlePage.objects.live().descendant_of(kjt().root_page).first()
    html = (
        f'<p><a linktype="page" id="{live.pk}">有效链接</a>'
        '<a linktype="page" id="999999">不存在的页面</a>'
        f'<a linktype="page" id="{unpublished.pk}">未发布</a>'
        '<a href="/kjdt/gzdt/">栏目</a><a href="/no-such-column/">坏链接</a>'
        '<a href="https://broken.example.org/x">外部坏链</a><a href="https://ok.example.org/">外部好链</a></p>'
    )
    checked = []

    def checker(url: str) -> bool:
        checked.append(url)
        return "broken" not in url

    found = run_checks(draft(html), link_checker=checker)
    messages = {(f.code, f.context): f for f in found if f.code in ("internal_link", "external_link")}
    assert set(messages) == {
        ("internal_link", "不存在的页面"),
        ("internal_link", "未发布"),
        ("internal_link", "坏链接"),
        ("external_link", "外部坏链"),
    }
    assert messages[("internal_link", "坏链接")].blocking
    assert not messages[("external_link", "外部坏链")].blocking
    assert sorted(checked) == ["https://broken.example.org/x", "https://ok.example.org/"]


def test_external_links_are_not_fetched_unless_switched_on(monkeypatch):
    monkeypatch.delenv("GOVSITE_CHECK_EXTERNAL_LINKS", raising=False)

    def no_network(*args, **kwargs):
        raise AssertionError("tests must not reach the network")

    monkeypatch.setattr("urllib.request.urlopen", no_network)
    assert run_checks(draft('<p><a href="https://example.org/">外部</a></p>')) is not None


def test_accessibility_images_without_alt_empty_links_and_skipped_headings():
    html = (
        '<h2>一、总体要求</h2><h4>（一）细则</h4><p>正文<a href="/kjdt/"></a></p>'
        '<embed embedtype="image" id="1" alt="" format="fullwidth"/>'
        '<embed embedtype="image" id="2" alt="会场照片" format="fullwidth"/>'
    )
    found = run_checks(draft(html))
    assert codes([f for f in found if f.code in ("img_alt", "empty_link", "heading_skip")]) == [
        "img_alt",
        "empty_link",
        "heading_skip",
    ]
    heading = next(f for f in found if f.code == "heading_skip")
    assert heading.match == "（一）细则" and not heading.blocking


def test_completeness_source_is_required_and_a_missing_date_is_a_warning():
    found = {f.code: f for f in run_checks(draft("<p>正文</p>", source=""))}
    assert found["missing_source"].blocking
    assert not found["missing_date"].blocking


def docx_bytes(text: str) -> bytes:
    """A real Word document (python-docx), as editors upload them."""
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_attachment_titles_and_text_are_checked():
    page = draft("<p>正文</p>")
    document = get_document_model()(title="名单（台湾政府）")
    document.file.save(
        "mingdan.docx", ContentFile(docx_bytes(f"获奖人：王某，身份证 {VALID_ID}")), save=False
    )
    document.save()
    ArticleAttachment.objects.create(page=page, document=document)
    page = ArticlePage.objects.get(pk=page.pk)
    found = [f for f in run_checks(page) if f.field == "attachments"]
    assert {f.code for f in found} == {"id_card", "wording"}
    assert all(f.field_label == "附件《名单（台湾政府）》" for f in found)


def test_findings_are_recorded_on_save():
    page = draft("<p>联系电话 13912345678</p>")
    revision = page.save_revision()
    stored = Page.objects.get(pk=page.pk).content_check
    assert stored.revision_id == revision.pk
    assert [item["code"] for item in stored.findings if item["severity"] == "blocking"] == ["mobile"]
