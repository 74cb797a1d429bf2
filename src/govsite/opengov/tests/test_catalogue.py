"""公开目录: metadata saved through the editor, 索引号 allocation, the public catalogue and the
metadata table on an item's page (docs/open-government.md)."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Site
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from govsite.content import lifecycle
from govsite.content.models import ArticlePage, ColumnPage
from govsite.content.tests.helpers import get_doc, path_of
from govsite.content.tests.test_admin import article_form
from govsite.opengov.catalogue import Catalogue
from govsite.opengov.models import (
    CatalogueEntry,
    CatalogueIndexPage,
    Genre,
    IndexNumber,
    OpenGovSettings,
    SubjectCategory,
)
from govsite.opengov.numbering import allocate_index_number
from govsite.publishing.publisher import suspended
from govsite.publishing.targets import page_addresses
from govsite.testing import at_once

CODE = "11150000011523456K"


def kjt() -> Site:
    return Site.objects.get(hostname="kjt.localhost")


def kjt_column(slug: str) -> ColumnPage:
    return ColumnPage.objects.descendant_of(kjt().root_page).get(slug=slug)


def catalogue() -> CatalogueIndexPage:
    return CatalogueIndexPage.objects.descendant_of(kjt().root_page).get()


def admin():
    return get_user_model().objects.get(username="platform-admin")


def new_policy(title: str, slug: str = "zcwj", **entry: object) -> ArticlePage:
    page = ArticlePage(
        title=title, body="<p>正文。</p>", source="本厅", catalogue_entries=[CatalogueEntry(**entry)]
    )
    kjt_column(slug).add_child(instance=page)
    page.save_revision(user=admin()).publish()
    return ArticlePage.objects.get(pk=page.pk)


@pytest.mark.django_db
def test_editor_saves_the_catalogue_metadata_and_publication_numbers_it(client):
    client.force_login(admin())
    subject = SubjectCategory.objects.get(parent__name="科技、教育", name="科技")
    genre = Genre.objects.get(name="通知")
    add_url = f"/admin/pages/add/govsite_content/articlepage/{kjt_column('zcwj').pk}/"
    page = client.get(add_url).content.decode()
    assert "公开目录" in page and "发文字号" in page
    entry = {
        "subject": str(subject.pk),
        "genre": str(genre.pk),
        "issuing_organ": "",
        "written_date": "2026-02-03",
        "document_number": "内科发[2026]7号",
        "disclosure_method": "主动公开",
        "audience": "公民、法人和其他组织",
        "subject_words": "科技 通知",
        "interprets": "",
        "interpretation_kind": "",
    }
    data = article_form(
        client, add_url, "关于开展2026年度科技计划申报的通知", **{"action-publish": "publish"}
    )
    data.update(nested_form_data({"catalogue_entries": inline_formset([entry])}))
    response = client.post(add_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    article = ArticlePage.objects.get(title="关于开展2026年度科技计划申报的通知")
    saved = article.catalogue_entries.get()
    assert (saved.subject, saved.genre, saved.document_number) == (subject, genre, "内科发〔2026〕7号")
    number = IndexNumber.objects.get(page=article)
    year = article.pub_date.astimezone().year
    assert number.value.startswith(f"{CODE}/{year}-") and len(number.value.rsplit("-", 1)[1]) == 5


@pytest.mark.django_db
def test_the_editor_outside_open_government_shows_a_notice_and_still_saves(client):
    client.force_login(admin())
    add_url = f"/admin/pages/add/govsite_content/articlepage/{kjt_column('gzdt').pk}/"
    assert "无需填写公开目录信息" in client.get(add_url).content.decode()
    data = article_form(client, add_url, "科技厅召开工作会议", **{"action-publish": "publish"})
    assert client.post(add_url, data).status_code == 302
    article = ArticlePage.objects.get(title="科技厅召开工作会议")
    assert not IndexNumber.objects.filter(page=article).exists()  # not a catalogue item


@pytest.mark.both_engines  # the 索引号 counter: a locked row
@pytest.mark.django_db
def test_index_number_never_changes_after_first_publication():
    article = new_policy("测试政策文件", document_number="内科发〔2026〕1号")
    first = IndexNumber.objects.get(page=article).value
    settings = OpenGovSettings.for_site(kjt())
    settings.index_pattern = "KJT-{year}{seq:06d}"
    settings.full_clean()
    settings.save()
    article.title = "测试政策文件（修改）"
    article.pub_date = None  # kept: the stored date stands
    article.save_revision(user=admin()).publish()
    article.unpublish()
    ArticlePage.objects.get(pk=article.pk).save_revision(user=admin()).publish()
    assert IndexNumber.objects.get(page=article).value == first
    later = new_policy("按新规则编号的文件")
    assert IndexNumber.objects.get(page=later).value.startswith("KJT-")


@pytest.mark.django_db
def test_a_pattern_without_a_sequence_number_is_refused_in_chinese():
    settings = OpenGovSettings.for_site(kjt())
    settings.index_pattern = "{统一社会信用代码}/{year}"
    with pytest.raises(Exception, match="流水号"):
        settings.full_clean()


@pytest.mark.both_engines  # row locks
@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_publishers_get_distinct_numbers():
    """Eight threads, each with its own database connection, number eight new items at once.

    The eight items are created with static publishing suspended (as the demo build and imports do):
    writing their files and lists is not what this test is about and took most of its time."""
    with suspended():
        pages = [new_policy(f"并发发布测试文件{n}") for n in range(8)]
    IndexNumber.objects.filter(page__in=pages).delete()
    errors = at_once(allocate_index_number, pages)
    assert not errors
    values = list(IndexNumber.objects.filter(page__in=pages).values_list("value", flat=True))
    assert len(values) == 8 and len(set(values)) == 8
    seqs = sorted(IndexNumber.objects.filter(page__in=pages).values_list("seq", flat=True))
    assert seqs == list(range(seqs[0], seqs[0] + 8))


@pytest.mark.both_engines  # year lookups
@pytest.mark.django_db
def test_catalogue_lists_by_category_and_year_with_pagination_and_only_public_items(client):
    page = catalogue()
    page.per_page = 5
    page.save_revision().publish()
    base = path_of(page)
    doc = get_doc(client, base)
    rows = doc.xpath("//table[contains(@class,'catalogue-list')]/tbody/tr")
    assert len(rows) == 5
    assert doc.xpath("//nav[@class='pagination']//a[@href=$h]", h=base + "index_2.html")
    assert get_doc(client, base + "index_2.html").xpath("//table[contains(@class,'catalogue-list')]")

    science = SubjectCategory.objects.get(parent__name="科技、教育", name="科技")
    titles = get_doc(client, f"{base}zt/{science.pk}/").xpath("//table//tbody//a/text()")
    assert "内蒙古自治区科技计划项目管理办法" in titles
    assert "内蒙古自治区科学技术厅政府信息公开工作制度" not in titles  # 综合政务
    top = science.parent
    assert top is not None
    assert get_doc(client, f"{base}zt/{top.pk}/").xpath("//h1[contains(., '科技、教育')]")
    year_titles = get_doc(client, f"{base}nd/2023/").xpath("//table//tbody//a/text()")
    assert "内蒙古自治区科学技术奖励办法实施细则" in year_titles
    assert "内蒙古自治区科技计划项目管理办法" not in year_titles
    repealed = get_doc(client, f"{base}yx/fz/").xpath("//table//tbody//a/text()")
    assert "内蒙古自治区科研诚信管理暂行办法" in repealed and len(repealed) == 3
    assert client.get(f"{base}zt/999999/", HTTP_HOST="kjt.localhost").status_code == 404

    # A withdrawn item (visibility.listed) is in no catalogue page.
    target = ArticlePage.objects.get(title="内蒙古自治区科学技术奖励办法实施细则")
    lifecycle.withdraw(target, admin(), "notice", "已撤回。")
    assert target.title not in get_doc(client, f"{base}nd/2023/").xpath("//table//tbody//a/text()")
    assert target.pk not in [item.pk for item in Catalogue(catalogue()).items()]


@pytest.mark.django_db
def test_every_catalogue_listing_is_a_published_address():
    page = catalogue()
    paths = {address.path for address in page_addresses(page)}
    base = path_of(page)
    assert {base, base + "nd/2025/", base + "yx/fz/"} <= paths
    science = SubjectCategory.objects.get(parent__name="科技、教育", name="科技")
    assert f"{base}zt/{science.pk}/" in paths


@pytest.mark.django_db
def test_item_page_shows_the_metadata_table_in_both_versions(client):
    policy = ArticlePage.objects.get(title="内蒙古自治区科技成果转化专项资金管理暂行办法")
    for prefix in ("", "/elder"):
        doc = get_doc(client, prefix + path_of(policy))
        table = doc.xpath("//table[@class='catalogue-metadata']")[0]
        cells = dict(zip(table.xpath(".//th[@scope='row']/text()"), table.xpath(".//td/text()"), strict=True))
        assert cells["发文字号"] == "内科发〔2021〕15号"
        assert cells["成文日期"] == "2021-06-02"
        assert cells["主题分类"] == "财政、金融、审计 \\ 财政"
        assert cells["发文机关"] == "内蒙古自治区科学技术厅"
        assert cells["索引号"] == IndexNumber.objects.get(page=policy).value
        assert cells["有效性"].startswith("废止")
        assert doc.xpath("//*[contains(@class,'validity-banner')]")  # the existing 文件效力 banner
    # An article outside 政务公开 has no table.
    news = ArticlePage.objects.live().child_of(kjt_column("gzdt")).first()
    assert not get_doc(client, path_of(news)).xpath("//table[@class='catalogue-metadata']")
