"""The organisation registry drives the 部门网站导航 on every site; per-site identity settings."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Site

from govsite.content.tests.helpers import get_doc
from govsite.sites.models import Organisation, OrganisationGroup, SiteProfile

pytestmark = pytest.mark.django_db

# Exactly as the seed page lists them.
SEED_DIRECTORY = {
    "自治区政府组成部门": [
        "发展和改革委员会",
        "教育厅",
        "科学技术厅",
        "工业和信息化厅",
        "民族事务委员会",
        "公安厅",
        "民政厅",
        "司法厅",
        "财政厅",
        "人力资源和社会保障厅",
        "自然资源厅",
        "住房和城乡建设厅",
        "生态环境厅",
        "交通运输厅",
        "水利厅",
        "农牧厅",
        "商务厅",
        "文化和旅游厅",
        "卫生健康委员会",
        "退役军人事务厅",
        "应急管理厅",
        "审计厅",
    ],
    "自治区直属特设机构": ["国有资产监督管理委员会"],
    "自治区直属机构": [
        "市场监督管理局",
        "林业和草原局",
        "广播电视局",
        "体育局",
        "统计局",
        "能源局",
        "地方金融管理局",
        "国防动员办公室",
        "医保局",
        "信访局",
    ],
}


def test_registry_holds_the_seeds_groups_in_order():
    groups = {
        group.name: [org.name for org in group.organisations.all()]
        for group in OrganisationGroup.objects.all()
    }
    assert list(groups) == list(SEED_DIRECTORY)
    assert groups == SEED_DIRECTORY
    assert [len(v) for v in groups.values()] == [22, 1, 10]


@pytest.mark.parametrize("host", ["kjt.localhost", "jyt.localhost"])
def test_every_site_shows_the_directory_with_live_links_or_plain_text(client, host):
    doc = get_doc(client, "/", host=host)
    nav = doc.xpath("//nav[@aria-label='部门网站导航']")[0]
    assert [h.text for h in nav.xpath(".//h2")] == list(SEED_DIRECTORY)
    entries = nav.xpath(".//li")
    assert len(entries) == 33
    links = {a.text: a.get("href") for a in nav.xpath(".//li/a")}
    assert links["科学技术厅"] == "http://kjt.localhost"  # hosted here: its site
    assert links["教育厅"] == "http://jyt.localhost"
    assert links["公安厅"] == "https://gat.nmg.gov.cn/"  # elsewhere: its address
    assert "国防动员办公室" not in links  # no known address: plain text, never a dead link
    assert nav.xpath(".//li/span[text()='国防动员办公室']")
    for href in links.values():
        assert href.startswith(("http://", "https://")), href


def test_directory_marks_the_current_site(client):
    doc = get_doc(client, "/", host="jyt.localhost")
    assert doc.xpath("//nav[@aria-label='部门网站导航']//a[@aria-current='page']/text()") == ["教育厅"]


def test_organisation_href_prefers_the_hosted_site():
    org = Organisation.objects.get(name="公安厅")
    assert org.href == "https://gat.nmg.gov.cn/"
    org.site = Site.objects.get(hostname="jyt.localhost")
    assert org.href == "http://jyt.localhost"
    org.site, org.url = None, ""
    assert org.href == ""


@pytest.mark.parametrize("code", ["1500000057", "bm01000001", "4403000052"])
def test_valid_site_id_codes(code):
    profile = SiteProfile.for_site(Site.objects.get(hostname="kjt.localhost"))
    profile.site_id_code = code
    profile.full_clean()


@pytest.mark.parametrize("code", ["150000005", "15000000571", "bm0100000", "BM01000001", "abcdefghij"])
def test_invalid_site_id_codes_are_rejected_in_chinese(code):
    profile = SiteProfile.for_site(Site.objects.get(hostname="kjt.localhost"))
    profile.site_id_code = code
    with pytest.raises(ValidationError) as error:
        profile.full_clean()
    assert "政府网站标识码" in error.value.message_dict["site_id_code"][0]


@pytest.mark.parametrize(
    "field,value",
    [
        ("icp_number", "ICP备2021001220号"),
        ("icp_number", "蒙ICP2021001220"),
        ("police_number", "蒙公网安备123号"),
    ],
)
def test_filing_numbers_are_validated(field, value):
    profile = SiteProfile.for_site(Site.objects.get(hostname="kjt.localhost"))
    setattr(profile, field, value)
    with pytest.raises(ValidationError):
        profile.full_clean()


def test_footer_shows_identity_and_filings_linked_to_the_official_sites(client):
    doc = get_doc(client, "/")
    footer = doc.xpath("//footer")[0]
    text = " ".join(footer.text_content().split())
    assert "主办单位：内蒙古自治区科学技术厅" in text
    assert "承办单位：内蒙古自治区科学技术厅" in text
    assert "政府网站标识码：1500000057" in text
    assert "地址：内蒙古呼和浩特市赛罕区丰州南路78号" in text
    assert "电话：0471-6328766/6328706" in text
    assert "传真：0471-6923617" in text
    icp = footer.xpath(".//a[text()='蒙ICP备2021001220号-1']/@href")
    assert icp == ["https://beian.miit.gov.cn/"]
    police = footer.xpath(".//a[text()='蒙公网安备15010502002335号']/@href")
    assert police and police[0].endswith("recordcode=15010502002335")
    error_report = footer.xpath(".//a[text()='我为政府网站找错']/@href")[0]
    assert "site_code=1500000057" in error_report
    assert footer.xpath(".//img[@alt='党政机关网站标识']")
    assert footer.xpath(".//img[contains(@alt,'二维码')]")
    assert footer.xpath(".//a[text()='网站声明']/@href") == ["/wzsm/"]
    assert footer.xpath(".//a[text()='网站地图']/@href") == ["/sitemap/"]


def test_footer_link_groups_match_the_seed(client):
    doc = get_doc(client, "/")
    groups = doc.xpath("//footer//li[contains(@class,'link-group')]")
    names = [" ".join(g.xpath("./a/text() | ./span/text() | ./details/summary/text()")) for g in groups]
    assert names == ["中国政府网", "科学技术部", "内蒙古自治区政府网", "各省科技厅网", "各盟市科技网"]
    provinces = groups[3].xpath(".//details//li")
    cities = groups[4].xpath(".//details//li")
    assert len(provinces) == 31 and len(cities) == 12
    assert provinces[0].text_content() == "北京" and provinces[-1].text_content() == "香港"


def test_second_site_has_its_own_identity(client):
    doc = get_doc(client, "/", host="jyt.localhost")
    assert doc.xpath("string(//meta[@name='SiteName']/@content)") == "内蒙古自治区教育厅"
    assert doc.xpath("string(//meta[@name='SiteIDCode']/@content)") == "1500000058"
    assert "科技动态" not in doc.xpath("string(//nav[@aria-label='栏目导航'])")


def test_unknown_host_falls_back_to_the_default_site(client):
    doc = get_doc(client, "/", host="127.0.0.1")
    assert doc.xpath("string(//meta[@name='SiteName']/@content)") == "内蒙古自治区科学技术厅"
