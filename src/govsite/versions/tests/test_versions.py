"""Every public page also answers under /elder/, and links keep the reader in that version."""

import pytest

from govsite.content.tests.helpers import get_doc, path_of, seed_article
from govsite.versions.registry import ELDER, STANDARD, split_version, versioned_url

pytestmark = pytest.mark.django_db


def test_split_version():
    assert split_version("/elder/kjdt/") == (ELDER, "/kjdt/")
    assert split_version("/elder") == (ELDER, "/")
    assert split_version("/elderly/") == (STANDARD, "/elderly/")
    assert split_version("/kjdt/") == (STANDARD, "/kjdt/")


def test_versioned_url_leaves_other_hosts_alone():
    assert versioned_url("/kjdt/", ELDER) == "/elder/kjdt/"
    assert versioned_url("https://www.gov.cn/", ELDER) == "https://www.gov.cn/"
    assert versioned_url("//cdn.example/x", ELDER) == "//cdn.example/x"
    assert versioned_url("/kjdt/", STANDARD) == "/kjdt/"


def test_elder_version_of_an_article(client):
    url = path_of(seed_article())
    doc = get_doc(client, "/elder" + url)
    assert "version-elder" in doc.get("class")
    assert doc.xpath("//link[contains(@href,'elder')]")
    assert doc.xpath("//a[text()='退出长辈版']/@href") == [url]
    nav = doc.xpath("//nav[@aria-label='栏目导航']//a/@href")
    assert nav and all(href.startswith("/elder/") for href in nav)
    assert doc.xpath("//a[@rel='prev']/@href")[0].startswith("/elder/kjdt/mtjj/")


def test_standard_version_has_no_elder_styles(client):
    doc = get_doc(client, "/")
    assert not doc.xpath("//link[contains(@href,'elder')]")
    assert doc.xpath("//a[text()='长辈版']/@href") == ["/elder/"]
