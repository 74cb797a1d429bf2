"""The 错敏词库: categories in findings, the starter library, Excel import/export per department, the
two-character matcher, and the 校对报告 kept with each submission for review."""

import io
import random
from collections.abc import Sequence
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook
from wagtail.models import Site

from govsite.checks.models import ProofreadingReport, WordRule
from govsite.checks.rules import TextPart, WordMatcher, check_words
from govsite.checks.services import latest_findings, rules_for, word_matcher_for
from govsite.checks.starter import load_starter_words, starter_words
from govsite.content.tests.helpers import new_draft
from govsite.testing import demo_user, xlsx_rows

pytestmark = pytest.mark.django_db

IMPORT = "/admin/checks/words/import/"
EXPORT = "/admin/checks/words/export/"
DENIED = (302, 403)  # Wagtail's admin answers PermissionDenied with a redirect and a message
HEADER = ["分类", "类型", "词语或错误表述", "建议或正确表述", "处理方式"]


def site(host: str) -> Site:
    return Site.objects.get(hostname=host)


def upload(rows: Sequence[Sequence[object]], name: str = "词库.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, xlsx_rows(rows))


def words_of(host: str | None) -> set[str]:
    rules = WordRule.objects.filter(site=site(host)) if host else WordRule.objects.filter(site__isnull=True)
    return set(rules.values_list("word", flat=True))


# --- categories and the starter library ----------------------------------------------------------
def test_starter_library_is_loaded_with_a_category_and_suggestion_for_every_entry():
    entries = starter_words()
    assert len(entries) > 300
    platform = WordRule.objects.filter(site__isnull=True)
    assert platform.count() >= len(entries)  # `govsite demo` loaded it
    assert not platform.filter(category="").exists()
    assert not platform.filter(suggestion="").exists()
    assert {entry.category for entry in entries} >= {
        "political", "leaders", "cross_strait", "map_flag", "typo"
    }  # fmt: skip
    assert load_starter_words() == 0  # running it again adds nothing and changes nothing

    found = check_words(TextPart("body", "正文", "会上，台湾政府的代表按装了设备。"), rules_for(None))
    by_word = {f.match: f for f in found}
    assert by_word["台湾政府"].blocking and by_word["台湾政府"].suggestion == "应为“台湾当局”"
    assert by_word["台湾政府"].message == "涉台港澳：不规范表述“台湾政府”"
    assert by_word["按装"].category == "常见错别字" and not by_word["按装"].blocking


def test_categories_are_stored_and_shown_in_the_findings_and_results_page(client):
    kjt = site("kjt.localhost")
    WordRule.objects.create(
        site=kjt, category=WordRule.Category.MAP_FLAG, kind="wording", word="测绘专用错词", suggestion="正词"
    )
    assert WordRule.objects.get(word="测绘专用错词").get_category_display() == "地图国旗"
    page = new_draft(title="关于测绘专用错词的通知")
    finding = next(f for f in latest_findings(page) if f.match == "测绘专用错词")
    assert finding.category == "地图国旗"
    assert finding.message == "地图国旗：不规范表述“测绘专用错词”"
    client.force_login(demo_user("kjt-editor"))
    html = client.get(f"/admin/checks/pages/{page.pk}/").content.decode()
    assert "地图国旗：不规范表述“测绘专用错词”" in html


def test_the_matcher_finds_what_a_search_per_word_finds_overlaps_and_single_characters_included():
    rules = [SimpleNamespace(word=w) for w in ("台湾", "台湾政府", "政府", "府", "湾", "ab", "b", "bc")]
    rng = random.Random(7)  # noqa: S311 (a repeatable test text, not a secret)
    text = "".join(rng.choice("台湾政府府abc的。") for _ in range(5000))
    expected = sorted(
        (i, rule.word) for rule in rules for i in range(len(text)) if text.startswith(rule.word, i)
    )
    assert sorted((i, rule.word) for i, rule in WordMatcher(rules).matches(text)) == expected
    assert list(WordMatcher([]).matches(text)) == []


# --- Excel import and export ------------------------------------------------------------------------
def test_import_of_a_valid_workbook_adds_rules_to_the_admins_site_only(kjt_admin: Client):
    jyt_before, platform_before = words_of("jyt.localhost"), words_of(None)
    rows: list[Sequence[object]] = [
        HEADER,
        ["涉台港澳", "规范表述", "导入测试甲", "导入测试乙", "阻止发布"],
        ["常见错别字", "", "导入测试丙", "导入测试丁", "提醒"],
        [None, None, None, None, None],  # blank lines are ignored
        ["", "敏感词", "导入测试戊", "", ""],
    ]
    response = kjt_admin.post(IMPORT, {"target": site("kjt.localhost").pk, "file": upload(rows)})
    assert response.status_code == 302, response.content.decode()[:2000]
    imported = {
        r.word: r for r in WordRule.objects.filter(site=site("kjt.localhost"), word__startswith="导入测试")
    }
    assert set(imported) == {"导入测试甲", "导入测试丙", "导入测试戊"}
    assert (imported["导入测试甲"].category, imported["导入测试甲"].kind) == ("cross_strait", "wording")
    assert (imported["导入测试丙"].severity, imported["导入测试丙"].kind) == ("warning", "sensitive")
    assert imported["导入测试戊"].category == "" and imported["导入测试戊"].severity == "blocking"
    assert words_of("jyt.localhost") == jyt_before and words_of(None) == platform_before

    # Importing again updates instead of duplicating.
    changed = [HEADER, ["涉台港澳", "规范表述", "导入测试甲", "导入测试己", "阻止发布"]]
    kjt_admin.post(IMPORT, {"target": site("kjt.localhost").pk, "file": upload(changed)})
    assert WordRule.objects.get(site=site("kjt.localhost"), word="导入测试甲").suggestion == "导入测试己"


def test_invalid_rows_are_reported_by_row_number_and_nothing_is_imported(kjt_admin: Client):
    before = WordRule.objects.count()
    rows = [
        HEADER,
        ["涉台港澳", "规范表述", "好行一", "建议", "阻止发布"],
        ["不存在的分类", "规范表述", "坏行一", "建议", "阻止发布"],
        ["", "", "", "只有建议", ""],
        ["", "规范表述", "好行一", "重复", ""],
        ["", "", "坏行二", "", "立即删除"],
        ["", "", "长" * 101, "", ""],
    ]
    response = kjt_admin.post(IMPORT, {"target": site("kjt.localhost").pk, "file": upload(rows)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "第 3 行：分类“不存在的分类”无效" in html
    assert "第 4 行：“词语或错误表述”不能为空" in html
    assert "第 5 行：与第 2 行重复" in html
    assert "第 6 行：处理方式“立即删除”无效" in html
    assert "第 7 行：词语超过 100 字" in html
    assert "第 2 行" not in html.replace("与第 2 行", "")
    assert WordRule.objects.count() == before

    for bad in (
        SimpleUploadedFile("词库.xlsx", b"not a workbook"),
        upload([["词语", "建议"]]),  # a header and no rules
        upload([["名称", "说明"], ["甲", "乙"]]),  # no word column
    ):
        response = kjt_admin.post(IMPORT, {"target": site("kjt.localhost").pk, "file": bad})
        assert response.status_code == 200 and "未导入" in response.content.decode()
    assert WordRule.objects.count() == before


def test_another_departments_admin_cannot_export_or_import_a_sites_rules(
    kjt_admin: Client, jyt_admin: Client, client
):
    kjt = site("kjt.localhost")
    WordRule.objects.create(site=kjt, kind="wording", word="科技厅内部词", suggestion="x")
    assert jyt_admin.get(f"{EXPORT}?site={kjt.pk}").status_code in DENIED
    response = jyt_admin.get(EXPORT)
    assert response.status_code == 200
    exported = load_workbook(io.BytesIO(response.content))
    assert "科技厅内部词" not in {row[3] for row in exported.active.iter_rows(values_only=True)}

    before = WordRule.objects.count()
    rows = [HEADER, ["", "", "越权导入词", "", ""]]
    response = jyt_admin.post(IMPORT, {"target": kjt.pk, "file": upload(rows)})
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    response = kjt_admin.post(IMPORT, {"target": "platform", "file": upload(rows)})  # platform: superusers
    assert response.status_code == 200
    assert WordRule.objects.count() == before

    client.force_login(demo_user("kjt-editor"))  # an editor keeps no word list
    assert client.get(EXPORT).status_code in DENIED
    assert client.post(IMPORT, {"target": kjt.pk, "file": upload(rows)}).status_code in DENIED
    assert WordRule.objects.count() == before


def test_export_opens_with_openpyxl_and_holds_the_sites_and_platform_rules(kjt_admin: Client):
    WordRule.objects.create(
        site=site("kjt.localhost"), category="typo", kind="wording", word="科技错词", suggestion="正"
    )
    WordRule.objects.create(site=site("jyt.localhost"), kind="wording", word="教育错词", suggestion="正")
    response = kjt_admin.get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == ["站点", "分类", "类型", "词语或错误表述", "建议或正确表述", "处理方式"]
    by_word = {row[3]: row for row in rows[1:]}
    assert by_word["科技错词"] == ("kjt.localhost", "常见错别字", "规范表述", "科技错词", "正", "阻止发布")
    assert by_word["台湾政府"][:2] == ("全平台", "涉台港澳")
    assert "教育错词" not in by_word

    # The exported file imports back: the site's own rows are updated, the platform's skipped.
    response = kjt_admin.post(
        IMPORT, {"target": site("kjt.localhost").pk, "file": SimpleUploadedFile("x.xlsx", response.content)}
    )
    assert response.status_code == 302
    assert words_of(None) >= {"台湾政府"} and "台湾政府" not in words_of("kjt.localhost")


# --- 校对报告 ----------------------------------------------------------------------------------------
def test_the_proofreading_report_is_recorded_at_submission_and_visible_to_the_reviewer(client):
    page = new_draft(title="关于台湾政府来访的通知")
    assert not ProofreadingReport.objects.filter(page=page).exists()
    page.get_workflow().start(page, demo_user("kjt-editor"))

    report = ProofreadingReport.objects.get(page=page)
    assert report.workflow_state == page.current_workflow_state
    assert report.submitted_by == demo_user("kjt-editor")
    assert report.revision == page.get_latest_revision()
    finding = next(f for f in report.findings if f["match"] == "台湾政府")
    assert finding["category"] == "涉台港澳" and finding["field"] == "title"

    client.force_login(demo_user("kjt-reviewer1"))  # the 初审 reviewer
    results = client.get(f"/admin/checks/pages/{page.pk}/").content.decode()
    assert f"/admin/checks/reports/{report.pk}/" in results
    editor = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert f"/admin/checks/reports/{report.pk}/" in editor  # linked from the editor's check panel
    html = client.get(f"/admin/checks/reports/{report.pk}/").content.decode()
    assert "涉台港澳" in html and "台湾政府" in html and "提交审核时间" in html

    client.force_login(demo_user("jyt-editor"))  # another department
    assert client.get(f"/admin/checks/reports/{report.pk}/").status_code in DENIED


def test_a_resubmission_gets_its_own_report_and_an_approval_none():
    page = new_draft(title="关于台湾政府来访的通知")
    workflow_state = page.get_workflow().start(page, demo_user("kjt-editor"))

    def decide(who: str, action: str) -> None:
        task_state = workflow_state.current_task_state
        task_state.task.specific.on_action(task_state.specific, demo_user(who), action)
        workflow_state.refresh_from_db()

    decide("kjt-reviewer1", "approve")  # on to 复审: not a submission
    assert ProofreadingReport.objects.filter(page=page).count() == 1
    decide("kjt-reviewer2", "reject")
    page.title = "关于台湾当局人员来访的通知"
    page.save_revision(user=demo_user("kjt-editor"))
    workflow_state.resume(demo_user("kjt-editor"))  # 重新提交

    first, second = ProofreadingReport.objects.filter(page=page).order_by("pk")
    assert second.workflow_state_id == first.workflow_state_id
    assert second.revision == page.get_latest_revision() != first.revision
    assert any(f["match"] == "台湾政府" for f in first.findings)
    assert not any(f["match"] == "台湾政府" for f in second.findings)


# --- the compiled matcher is reused until a rule changes ---------------------------------------------
def test_the_sites_matcher_is_reused_and_rebuilt_when_a_rule_is_added_edited_or_deleted():
    kjt = site("kjt.localhost")

    def words_found(text: str) -> set[str]:
        return {f.match for f in check_words(TextPart("body", "正文", text), word_matcher_for(kjt))}

    assert word_matcher_for(kjt) is word_matcher_for(kjt)  # nothing changed: the same compiled matcher
    assert "蓝鲸计划" not in words_found("启动蓝鲸计划。")
    rule = WordRule.objects.create(site=kjt, word="蓝鲸计划", suggestion="删除")
    assert "蓝鲸计划" in words_found("启动蓝鲸计划。")
    rule.word = "白鲸计划"
    rule.save()
    assert words_found("启动蓝鲸计划和白鲸计划。") & {"蓝鲸计划", "白鲸计划"} == {"白鲸计划"}
    rule.delete()
    assert "白鲸计划" not in words_found("启动白鲸计划。")
    # Another department's rule never reaches this site's matcher.
    WordRule.objects.create(site=site("jyt.localhost"), word="白鲸计划")
    assert "白鲸计划" not in words_found("启动白鲸计划。")
