"""What each page type shows: meta tags of 《政府网站网页设计规范》, the seed article, lists, feeds."""

import re
from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from lxml import etree

from govsite.content.models import ArticlePage, ArticlePageForm, ColumnPage, ColumnType

from .helpers import get_doc, meta, path_of, seed_article

pytestmark = pytest.mark.django_db
PUB_DATE_FORMAT = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")
COLUMN_TYPES = {"首页", *ColumnType.values}


def test_every_page_has_site_meta_tags_and_landmarks(client):
    for url in ["/", "/kjdt/", "/kjdt/mtjj/", path_of(seed_article()), "/wzsm/", "/sitemap/"]:
        doc = get_doc(client, url)
        tags = meta(doc)
        assert tags["SiteName"] == "内蒙古自治区科学技术厅", url
        assert tags["SiteDomain"] == "kjt.localhost", url
        assert tags["SiteIDCode"] == "1500000057", url
        assert doc.get("lang") == "zh-CN"
        for landmark in ("header", "main", "footer"):
            assert len(doc.xpath(f"//{landmark}")) == 1, (url, landmark)
        assert len(doc.xpath("//h1")) == 1, url


def test_home_and_column_pages_have_column_meta_tags(client):
    home = meta(get_doc(client, "/"))
    assert home["ColumnType"] == "首页"
    column = meta(get_doc(client, "/kjdt/mtjj/"))
    assert column["ColumnName"] == "媒体聚焦"
    assert column["ColumnDescription"]
    assert column["ColumnKeywords"]
    assert column["ColumnType"] in COLUMN_TYPES


def test_seed_article_page_shows_what_the_seed_shows(client):
    article = seed_article()
    doc = get_doc(client, path_of(article))
    tags = meta(doc)
    assert tags["ArticleTitle"] == article.title
    assert tags["PubDate"] == "2021-03-31 00:00"
    assert PUB_DATE_FORMAT.match(tags["PubDate"])
    assert tags["ContentSource"] == "科技日报"
    assert tags["ColumnName"] == "媒体聚焦"

    crumbs = [a.text_content() for a in doc.xpath("//nav[@aria-label='当前位置']//a")]
    assert crumbs == ["首页", "科技动态", "媒体聚焦"]
    assert doc.xpath("string(//h1)") == article.title
    text = doc.text_content()
    assert "来源：科技日报" in text
    assert "发布日期：2021-03-31" in text and "2021-03-31 00:00" not in text  # no time was given
    assert [b.text for b in doc.xpath("//*[@aria-label='字号']//button")] == ["大", "中", "小"]
    assert "分享到" in text and "打印本页" in text
    assert doc.xpath("//details[contains(@class,'share-wechat')]//svg")  # QR code drawn by us
    weibo = doc.xpath("//a[contains(@class,'share-weibo')]/@href")[0]
    assert weibo.startswith("https://service.weibo.com/share/share.php?url=http")
    assert "附件" in text
    body = doc.xpath("//div[contains(@class,'article-body')]")[0].text_content()
    assert body.strip().startswith("一张硕大的张江国家自主创新示范区")
    assert body.strip().endswith("张江,正在成为全球科技创新体系的重要极点。")
    assert "集成电路" in body and "TD-LTE" in body

    prev_link = doc.xpath("//a[@rel='prev']")[0]
    next_link = doc.xpath("//a[@rel='next']")[0]
    assert prev_link.text == "中小企业发展环境评估报告发布 上海综合得分摘冠"
    assert next_link.text == "大湾区科技金融路演中心揭牌,打造“线上线下”路演平台"
    assert client.get(prev_link.get("href"), HTTP_HOST="kjt.localhost").status_code == 200
    assert client.get(next_link.get("href"), HTTP_HOST="kjt.localhost").status_code == 200
    assert doc.xpath("//a[text()='长辈版']/@href") == ["/elder" + path_of(article)]
    assert doc.xpath("//button[text()='无障碍浏览']")


def test_attachments_are_listed_with_type_and_size(client):
    article = ArticlePage.objects.filter(attachments__isnull=False).first()
    doc = get_doc(client, path_of(article))
    item = doc.xpath("//section[contains(@class,'attachments')]//li")[0]
    assert "申报指南（示例附件）" in item.text_content()
    assert re.search(r"（PDF，\d+(\.\d+)?\s(字节|KB|bytes)）", item.text_content())
    href = item.xpath(".//a/@href")[0]
    download = client.get(href, HTTP_HOST="kjt.localhost")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_pub_date_cannot_change_after_publishing():
    article = seed_article()
    article.pub_date = timezone.make_aware(datetime(2022, 1, 1, 8, 0))
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "pub_date" in error.value.message_dict
    form_class = ArticlePage.get_edit_handler().get_form_class()
    assert issubclass(form_class, ArticlePageForm)
    form = form_class(instance=seed_article(), for_user=None)
    assert form.fields["pub_date"].disabled


def test_pub_date_defaults_to_the_first_publication_time():
    column = ColumnPage.objects.get(slug="tzgg", url_path__startswith="/kjt/")
    article = ArticlePage(title="无日期的通知", source="科学技术厅", body="<p>示例</p>", live=False)
    column.add_child(instance=article)
    assert article.pub_date is None
    before = timezone.now()
    article.save_revision().publish()
    article.refresh_from_db()
    assert article.pub_date is not None and article.pub_date >= before.replace(second=0, microsecond=0)
    assert re.search(r"/\d{6}/t\d{8}_\d+\.html$", path_of(article))
    # Editing later (the draft revision carries no date) keeps the date and passes validation.
    article.title = "无日期的通知（修订）"
    article.pub_date = None
    article.full_clean()
    assert article.pub_date is not None


def test_column_list_is_paginated_newest_first(client):
    doc = get_doc(client, "/kjdt/gzdt/")
    items = doc.xpath("//main//ul[contains(@class,'article-list')]/li")
    assert len(items) == 9  # 25 articles, 8 per page: the front page carries the newest 9
    dates = [li.xpath("string(.//time/@datetime)") for li in items]
    assert dates == sorted(dates, reverse=True)
    pager = {a.text: a.get("href") for a in doc.xpath("//nav[@aria-label='分页']//a")}
    assert pager["下一页"] == "/kjdt/gzdt/index_2.html"
    assert pager["2"] == "/kjdt/gzdt/index_2.html" and pager["3"] == "/kjdt/gzdt/index_1.html"
    assert pager["尾页"] == "/kjdt/gzdt/index_1.html"

    second = get_doc(client, "/kjdt/gzdt/index_2.html")
    second_items = second.xpath("//main//ul[contains(@class,'article-list')]/li")
    assert len(second_items) == 8
    assert second_items[0].xpath("string(.//time/@datetime)") < dates[-1]  # continues where page 1 ends
    pager = {a.text: a.get("href") for a in second.xpath("//nav[@aria-label='分页']//a")}
    assert pager == {
        "首页": "/kjdt/gzdt/",
        "上一页": "/kjdt/gzdt/",
        "下一页": "/kjdt/gzdt/index_1.html",
        "尾页": "/kjdt/gzdt/index_1.html",
    }
    oldest = get_doc(client, "/kjdt/gzdt/index_1.html")
    assert len(oldest.xpath("//main//ul[contains(@class,'article-list')]/li")) == 8
    assert "下一页" not in oldest.xpath("string(//nav[@aria-label='分页'])")


def test_list_pages_say_where_the_reader_is(client):
    front = get_doc(client, "/kjdt/gzdt/")
    assert front.xpath("string(//p[@class='list-position'])") == "第 1 页，共 3 页（共 25 条）"
    archive = get_doc(client, "/kjdt/gzdt/index_2.html")
    dates = archive.xpath("//main//ul[contains(@class,'article-list')]//time/text()")
    # newest first: the range runs from the oldest (last) item to the newest (first)
    assert archive.xpath("string(//p[@class='list-range'])") == f"本页为 {dates[-1]} 至 {dates[0]} 发布的信息"
    # the page number and totals come from the front page (site.js), so the file itself never changes
    position = archive.xpath("//p[@class='list-position']")[0]
    assert position.get("data-archive-page") == "2" and position.get("data-front") == "/kjdt/gzdt/"


def test_article_meta_line_shows_the_responsible_editor_and_the_time_only_if_given(client):
    article = seed_article()
    at_ten = timezone.make_aware(datetime(2021, 3, 31, 10, 5))
    ArticlePage.objects.filter(pk=article.pk).update(responsible_editor="王晓燕", pub_date=at_ten)
    for prefix in ("", "/elder"):
        doc = get_doc(client, prefix + path_of(article))
        facts = doc.xpath("string(//p[@class='meta-facts'])")
        assert "责任编辑：王晓燕" in facts, prefix
        assert "发布日期：2021-03-31 10:05" in facts, prefix


def test_archive_pages_do_not_change_when_an_article_is_added(client):
    before = client.get("/kjdt/gzdt/index_1.html", HTTP_HOST="kjt.localhost").content
    column = ColumnPage.objects.get(slug="gzdt")
    column.add_child(instance=ArticlePage(title="新的一篇", source="科学技术厅", body="<p>示例</p>"))
    assert client.get("/kjdt/gzdt/index_1.html", HTTP_HOST="kjt.localhost").content == before


def test_column_of_information_pages_lists_them(client):
    doc = get_doc(client, "/zzjg/")
    assert doc.xpath("//main//ul[contains(@class,'page-list')]//a/text()") == [
        "机构职能",
        "领导信息",
        "内设机构",
    ]
    assert "暂无信息" not in doc.text_content()


def test_parent_column_lists_articles_of_its_sub_columns(client):
    doc = get_doc(client, "/kjdt/")
    titles = doc.xpath("//main//ul[contains(@class,'article-list')]//a/text()")
    assert "自治区科技厅召开全区科技工作会议" in titles  # from 工作动态
    assert doc.xpath("//nav[@aria-label='子栏目']//a/text()")[:3] == ["工作动态", "媒体聚焦", "盟市动态"]


def test_rss_feed_of_a_column(client):
    response = client.get("/kjdt/mtjj/rss.xml", HTTP_HOST="kjt.localhost")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = etree.fromstring(response.content)
    titles = feed.xpath("//item/title/text()")
    assert seed_article().title in titles
    links = feed.xpath("//item/link/text()")
    assert any(re.search(r"/kjdt/mtjj/202103/t20210331_\d+\.html$", link) for link in links)


def test_sitemap_index_and_monthly_sitemaps(client):
    def locs(url: str) -> list[str]:
        response = client.get(url, HTTP_HOST="kjt.localhost")
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/xml")
        return etree.fromstring(response.content).xpath("//*[local-name()='loc']/text()")

    index = locs("/sitemap.xml")
    assert "http://kjt.localhost/sitemaps/pages.xml" in index
    assert "http://kjt.localhost/sitemaps/202103.xml" in index
    assert not any("jyt.localhost" in loc for loc in index)  # one site's sitemap only
    march = locs("/sitemaps/202103.xml")
    assert "http://kjt.localhost" + path_of(seed_article()) in march
    assert all("/202103/" in loc for loc in march)
    pages = locs("/sitemaps/pages.xml")
    assert "http://kjt.localhost/kjdt/mtjj/" in pages
    assert not any(loc.endswith("/zwfw/zwfww/") for loc in pages)  # link pages are not pages
    assert client.get("/sitemaps/199901.xml", HTTP_HOST="kjt.localhost").status_code == 404


def test_html_sitemap_is_the_column_tree(client):
    doc = get_doc(client, "/sitemap/")
    sections = doc.xpath("//main//section/h2/a/text()")
    assert sections[:7] == [
        "网站声明",
        "组织机构",
        "科技动态",
        "政务公开",
        "政务服务",
        "互动交流",
        "专题专栏",
    ]
    nested = doc.xpath("//main//section[h2/a='科技动态']//li/a/text()")
    assert nested == ["工作动态", "媒体聚焦", "盟市动态"]
    assert seed_article().title not in doc.text_content()


def test_robots_txt_points_to_the_sitemap(client):
    body = client.get("/robots.txt", HTTP_HOST="jyt.localhost").content.decode()
    assert "Sitemap: http://jyt.localhost/sitemap.xml" in body
    assert "Disallow: /admin/" in body


def test_404_is_in_the_sites_design(client):
    doc = get_doc(client, "/no-such-page/", status=404)
    assert "页面不存在" in doc.xpath("string(//h1)")
    assert doc.xpath("//nav[@aria-label='栏目导航']")
    assert "1500000057" in doc.xpath("string(//footer)")


def test_home_page_shows_latest_articles_of_featured_columns(client):
    doc = get_doc(client, "/")
    headings = doc.xpath("//main//section//h2//text()")
    assert headings == ["科技动态", "政务公开"]  # top-level columns marked 在首页显示
    assert doc.xpath("//main//section//a[text()='自治区科技厅召开全区科技工作会议']")
