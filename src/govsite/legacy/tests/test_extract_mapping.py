"""The proposed column mapping (`--propose-mapping`): old column prefixes with their trails and counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govsite.legacy.extract import ExtractedPage, extract_page
from govsite.legacy.mapping import ProposedColumn, column_key, propose_columns

CORPUS = Path(__file__).parent / "corpus"


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("http://a.gov.cn/xwzx/gzdt/201905/t20190506_1.html", "/xwzx/gzdt/t20190506_1.html"),
        ("http://a.gov.cn/xwzx/gzdt/2019/05/06/1234.shtml", "/xwzx/gzdt/1234.shtml"),
        ("http://a.gov.cn/xwzx/gzdt/20190506/1234.html", "/xwzx/gzdt/1234.html"),
        ("http://a.gov.cn/art/2019/5/6/art_1229_567890.html", "/art/1229/"),
        ("http://a.gov.cn/sub/art/2019/5/6/art_12_5.html", "/sub/art/12/"),
        ("http://a.gov.cn/news/show.asp?id=12", "/news/show.asp"),
        ("http://a.gov.cn/2019news/a.html", "/2019news/a.html"),
    ],
)
def test_column_key(url: str, key: str) -> None:
    assert column_key(url) == key


def test_proposal_groups_by_column_and_takes_the_usual_trail() -> None:
    pages = [
        ("http://a.gov.cn/xwzx/gzdt/201905/t20190506_1.html", ("新闻中心", "工作动态")),
        ("http://a.gov.cn/xwzx/gzdt/201904/t20190402_2.html", ("新闻中心", "工作动态")),
        ("http://a.gov.cn/xwzx/gzdt/201812/t20181201_3.html", ("新闻", "工作动态")),
        ("http://a.gov.cn/xwzx/gzdt/201812/t20181202_4.html", ()),
        ("http://a.gov.cn/tzgg/201905/t20190506_5.html", ("通知公告",)),
        ("http://a.gov.cn/art/2019/5/6/art_1229_7.html", ("科技动态", "工作动态")),
        ("http://a.gov.cn/art/2019/5/7/art_1231_8.html", ("公示公告",)),
        ("http://a.gov.cn/old/page.html", ()),
    ]
    assert propose_columns(pages) == [
        ProposedColumn("/art/1229/", ("科技动态", "工作动态"), 1),
        ProposedColumn("/art/1231/", ("公示公告",), 1),
        ProposedColumn("/old/", (), 1),
        ProposedColumn("/tzgg/", ("通知公告",), 1),
        ProposedColumn("/xwzx/gzdt/", ("新闻中心", "工作动态"), 4),
    ]


def test_proposal_from_the_corpus() -> None:
    """End to end over the corpus: every extracted article counts once, under its column."""
    pages = []
    for case in sorted(CORPUS.glob("*/*.json")):
        url = json.loads(case.read_text(encoding="utf-8"))["url"]
        result = extract_page(case.with_suffix(".html").read_bytes(), url)
        if isinstance(result, ExtractedPage):
            pages.append((result.url, result.breadcrumbs))
    proposal = {column.old_prefix: column for column in propose_columns(pages)}
    assert sum(column.page_count for column in proposal.values()) == len(pages) == 14
    assert proposal["/xwzx/gzdt/"].names == ("新闻中心", "工作动态")
    assert proposal["/art/1229/"].names == ("科技动态", "工作动态")
    assert proposal["/zfxxgk/fdzdgknr/zcwj/"].names == ("政府信息公开", "政策文件")


def test_empty_input() -> None:
    assert propose_columns([]) == []
