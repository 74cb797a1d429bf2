"""政策文件 ↔ 政策解读 on the public pages (both versions, statically published), the 文件效力 banner
of a repealed policy, and the editor's warning for a policy without an interpretation."""

import shutil
from pathlib import Path

import pytest
from wagtail.models import Page, Site

from govsite.checks.models import PageCheck
from govsite.content import lifecycle
from govsite.content.models import ArticlePage, ColumnPage, ColumnType, DocumentValidity, InfoPage
from govsite.content.tests.helpers import get_doc, path_of
from govsite.opengov.models import CatalogueEntry, CatalogueIndexPage
from govsite.opengov.provisioning import CATEGORIES, provision_open_government
from govsite.publishing.layout import public_root, relative_file, site_dir
from govsite.sites.provisioning import create_department_site

from .test_catalogue import admin, kjt, kjt_column, new_policy

pytestmark = pytest.mark.django_db

# Demo slugs (demo/data/open_government.py): 内科发〔2025〕3号 with its 图解, 内科发〔2025〕8号, and
# 内科发〔2021〕15号, 废止 and replaced by 内科发〔2025〕12号.
POLICY, OTHER_POLICY, REPEALED = "gk-2025-03", "gk-2025-08", "gk-2021-15"


def article(slug: str) -> ArticlePage:
    return ArticlePage.objects.descendant_of(kjt().root_page).get(slug=slug)


def new_interpretation(policy: ArticlePage, title: str, kind: str = "视频解读") -> ArticlePage:
    entry = CatalogueEntry(interprets=policy, interpretation_kind=kind)
    page = ArticlePage(title=title, body="<p>解读正文。</p>", source="本厅", catalogue_entries=[entry])
    kjt_column("zcjd").add_child(instance=page)
    page.save_revision(user=admin()).publish()
    return ArticlePage.objects.get(pk=page.pk)


def published_file(path: str) -> Path:
    relative = relative_file(path)
    assert relative is not None, path
    return site_dir("kjt.localhost") / relative


def test_policy_and_interpretation_link_each_other_in_both_versions(client):
    policy = article(POLICY)
    interpretation = article(f"{POLICY}-jd")
    for prefix in ("", "/elder"):
        doc = get_doc(client, prefix + path_of(policy))
        items = doc.xpath("//section[contains(@class,'policy-interpretations')]//li")
        assert len(items) == 1
        assert items[0].xpath("string(.//span[contains(@class,'tag-interpretation')])") == "图解"
        assert items[0].xpath(".//a/@href") == [prefix + path_of(interpretation)]

        doc = get_doc(client, prefix + path_of(interpretation))
        original = doc.xpath("//section[contains(@class,'policy-original')]")[0]
        assert original.xpath(".//a/@href") == [prefix + path_of(policy)]
        assert original.xpath("string(.//h2)") == "本图解所解读的政策文件"
        assert "内科发〔2025〕3号" in original.text_content()


def test_publishing_and_withdrawing_an_interpretation_renders_the_policy_page_again(
    django_capture_on_commit_callbacks,
):
    shutil.rmtree(public_root(), ignore_errors=True)
    policy = article(POLICY)
    title = "视频解读：科技计划项目管理办法十问十答"
    with django_capture_on_commit_callbacks(execute=True):
        interpretation = new_interpretation(policy, title)
    for prefix in ("", "/elder"):
        html = published_file(prefix + path_of(policy)).read_text()
        assert title in html and prefix + path_of(interpretation) in html
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.withdraw(interpretation, admin(), "notice", "内容有误，已撤回。")
    for prefix in ("", "/elder"):
        assert title not in published_file(prefix + path_of(policy)).read_text()


def test_an_interpretation_moved_to_another_policy_leaves_the_first_one(django_capture_on_commit_callbacks):
    shutil.rmtree(public_root(), ignore_errors=True)
    first, second = article(POLICY), article(OTHER_POLICY)
    title = "专家解读：科研项目管理的新要求"
    with django_capture_on_commit_callbacks(execute=True):
        interpretation = new_interpretation(first, title, "专家解读")
    assert title in published_file(path_of(first)).read_text()
    with django_capture_on_commit_callbacks(execute=True):
        entry = interpretation.catalogue_entries.get()
        interpretation.catalogue_entries = [
            CatalogueEntry(pk=entry.pk, interprets=second, interpretation_kind="专家解读")
        ]
        interpretation.save_revision(user=admin()).publish()
    assert title not in published_file(path_of(first)).read_text()
    assert title in published_file(path_of(second)).read_text()


def test_a_repealed_policy_keeps_its_address_and_links_to_its_replacement_in_both_versions(client):
    policy = article(REPEALED)
    validity = DocumentValidity.objects.get(page=policy)
    assert validity.status == DocumentValidity.Status.REPEALED and validity.replaced_by is not None
    replacement = validity.replaced_by.specific
    for prefix in ("", "/elder"):
        doc = get_doc(client, prefix + path_of(policy))  # 200 at its old address
        banner = doc.xpath("//*[contains(@class,'validity-banner')]")[0]
        assert "本文件已废止" in banner.text_content()
        assert banner.xpath(".//a/@href") == [prefix + path_of(replacement)]
        # its interpretation still links both ways
        assert doc.xpath("//section[contains(@class,'policy-interpretations')]//a")


def test_a_policy_published_without_an_interpretation_warns_the_editor_without_blocking(
    client, django_capture_on_commit_callbacks
):
    message = "政策文件尚无政策解读：建议与解读稿件通过联合发布同时发布"
    policy = new_policy("关于印发《科技创新券管理办法》的通知", document_number="内科发〔2026〕2号")
    assert policy.live  # a warning, not a block
    check = PageCheck.objects.get(page_id=policy.pk)
    warnings = [item for item in check.findings if item["message"] == message]
    assert len(warnings) == 1 and warnings[0]["severity"] == "warning"
    client.force_login(admin())
    editor = client.get(f"/admin/pages/{policy.pk}/edit/").content.decode()
    assert message in editor and "联合发布" in editor

    with django_capture_on_commit_callbacks(execute=True):
        new_interpretation(policy, "文字解读：《科技创新券管理办法》", "文字解读")
    check = PageCheck.objects.get(page_id=policy.pk)
    assert not [item for item in check.findings if item["message"] == message]
    # Neither an interpretation nor a notice of the 政务公开 column is a policy.
    notice = new_policy("关于开展科技活动周的通知", slug="tzgg")
    interpretation = ArticlePage.objects.get(title="文字解读：《科技创新券管理办法》")
    for page in (notice, interpretation):
        assert not [f for f in PageCheck.objects.get(page_id=page.pk).findings if f["message"] == message]


def test_every_new_department_site_gets_the_statutory_open_government_tree(client):
    department = create_department_site("sjj.localhost", "内蒙古自治区审计厅", "审计厅")
    column = ColumnPage.objects.child_of(department.site.root_page).get(slug="zwgk")
    assert column.column_type == ColumnType.DISCLOSURE_CATALOGUE and column.live
    children = {page.title: page.specific for page in column.get_children().live()}
    expected = {"公开目录", "政府信息公开指南", "政府信息公开制度", *(c.title for c in CATEGORIES)}
    assert set(children) == expected
    assert {"机构职能", "政策文件", "规划计划", "统计信息", "财政预决算", "人事信息"} <= set(children)
    assert isinstance(children["公开目录"], CatalogueIndexPage)
    assert children["政策文件"].column_type == ColumnType.POLICIES
    guide = get_doc(client, path_of(children["政府信息公开指南"]), host="sjj.localhost")
    assert "内蒙古自治区审计厅" in guide.text_content() and "依申请公开" in guide.text_content()
    rules = get_doc(client, path_of(children["政府信息公开制度"]), host="sjj.localhost")
    assert "保密审查制度" in rules.text_content()

    # Again (the same department, or its site after edits): nothing is made twice or changed.
    children["政策文件"].delete()
    before = set(Page.objects.descendant_of(column).values_list("pk", flat=True))
    create_department_site("sjj.localhost", "内蒙古自治区审计厅", "审计厅")
    assert provision_open_government(department.site) == []
    after = set(Page.objects.descendant_of(column).values_list("pk", flat=True))
    assert before - after == set() and len(after - before) == 1  # only the deleted 政策文件 returns


def test_the_demo_sites_have_the_tree_and_keep_their_own_columns():
    zwgk = kjt_column("zwgk")
    titles = list(zwgk.get_children().values_list("title", flat=True))
    assert titles.count("政策文件") == 1 and titles.count("公开目录") == 1 and "政府信息公开制度" in titles
    guide = InfoPage.objects.child_of(zwgk).get(title="政府信息公开指南")
    assert "0471-6328766" in str(guide.body) and "内蒙古自治区科学技术厅" in str(guide.body)
    jyt = Site.objects.get(hostname="jyt.localhost")
    assert CatalogueIndexPage.objects.descendant_of(jyt.root_page).live().exists()
