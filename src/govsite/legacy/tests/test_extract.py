"""Extraction rules one at a time: decoding, classification, labelled fields, cleaning, never raising."""

from __future__ import annotations

import datetime
import random
from pathlib import Path

import pytest

from govsite.legacy import layouts
from govsite.legacy.clean import clean_body
from govsite.legacy.encoding import decode_html
from govsite.legacy.extract import Asset, ExtractedPage, Rejected, extract_page
from govsite.legacy.layouts import fragment

CORPUS = Path(__file__).parent / "corpus"
URL = "http://kjt.nmg.gov.cn/kjdt/gzdt/201905/t20190506_1.html"
BODY = "<p>5月6日，自治区科技厅召开全区科技工作会议，部署2019年重点任务，推进科技创新。</p>"


def page(
    body: str = BODY, head: str = '<meta charset="utf-8">', info: str = "发布时间：2019-05-06 09:00"
) -> str:
    return (
        f"<html><head>{head}<title>全区科技工作会议召开_科技厅</title></head><body>"
        f'<h1>全区科技工作会议召开</h1><div class="info">{info}</div>'
        f'<div class="TRS_Editor">{body}</div></body></html>'
    )


def extracted(raw: bytes, url: str = URL) -> ExtractedPage:
    result = extract_page(raw, url)
    assert isinstance(result, ExtractedPage), result
    return result


# --- encodings --------------------------------------------------------------------------------------
def test_gb2312_declaration_is_read_as_gb18030() -> None:
    """堃 is not in GB2312: a strict GB2312 decoder fails on it, GB18030 (the superset) reads it."""
    raw = page("<p>作者：王堃，内容足够长的正文一段。</p>", head='<meta charset="gb2312">').encode("gbk")
    result = extracted(raw)
    assert result.encoding == "gb18030"
    assert "王堃" in result.body_html
    assert result.warnings == ()


def test_utf8_declared_page_in_gbk_is_detected() -> None:
    raw = page(head='<meta charset="utf-8">').encode("gbk")
    result = extracted(raw)
    assert result.encoding == "gb18030"
    assert "自治区科技厅" in result.body_html
    assert result.warnings == ("页面声明的编码为 utf-8，实际按 gb18030 解码",)


def test_gbk_declared_page_in_utf8_is_detected() -> None:
    raw = page(head='<meta http-equiv="Content-Type" content="text/html; charset=gbk">').encode("utf-8")
    result = extracted(raw)
    assert (result.encoding, "自治区科技厅" in result.body_html) == ("utf-8", True)
    assert result.warnings == ("页面声明的编码为 gb18030，实际按 utf-8 解码",)


def test_western_declaration_on_a_chinese_page() -> None:
    """windows-1252 decodes almost any bytes: on a GBK page it must not win."""
    result = extracted(page(head='<meta charset="iso-8859-1">').encode("gbk"))
    assert result.encoding == "gb18030"
    assert "自治区科技厅" in result.body_html


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_byte_order_mark(encoding: str) -> None:
    result = extracted(page(head="").encode(encoding))
    assert "自治区科技厅" in result.body_html


def test_undeclared_gbk_is_guessed() -> None:
    result = extracted(page(head="").encode("gbk"))
    assert result.encoding == "gb18030"
    assert "自治区科技厅" in result.body_html


def test_big5_declaration() -> None:
    html = '<html><head><meta charset="big5"></head><body><p>香港特別行政區政府新聞公報</p></body></html>'
    raw = html.encode("big5")
    decoded = decode_html(raw)
    assert decoded is not None
    assert (decoded.encoding, "特別行政區" in decoded.text) == ("big5", True)


def test_a_few_broken_bytes_are_replaced_not_fatal() -> None:
    raw = page(head='<meta charset="gbk">').encode("gbk")
    cut = raw.index("科技工作".encode("gbk"))
    decoded = decode_html(raw[: cut + 1] + raw[cut + 2 :] + b"\x81")
    assert decoded is not None
    assert decoded.encoding == "gb18030"


# --- classification ---------------------------------------------------------------------------------
def test_page_over_the_size_cap_is_rejected(settings: object) -> None:
    huge = page(
        "".join(f"<p>第{number}段：内容内容内容内容内容内容内容内容。</p>" for number in range(120_000))
    )
    raw = huge.encode("utf-8")
    assert len(raw) > 5 * 1024 * 1024
    assert extract_page(raw, URL) == Rejected(
        URL, f"页面过大（{len(raw) / 1024 / 1024:.1f} MB，上限 5.0 MB），未导入"
    )


def test_size_cap_is_a_setting(settings: object) -> None:
    settings.GOVSITE_IMPORT_MAX_PAGE_BYTES = 1024  # type: ignore[attr-defined]
    result = extract_page(page("<p>" + "科技" * 600 + "</p>").encode("utf-8"), URL)
    assert isinstance(result, Rejected)
    assert result.reason.startswith("页面过大")


def test_article_that_mentions_404_is_not_an_error_page() -> None:
    body = (
        "<p>市民反映网站出现404错误，您访问的页面打不开。经核查，已于当日修复并恢复访问，特此说明。</p>" * 20
    )
    result = extracted(page(body).encode("utf-8"))
    assert "404错误" in result.body_html


@pytest.mark.parametrize(
    "html",
    [
        "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>",
        "<html><body><div>抱歉，您所访问的页面已删除或不存在。</div></body></html>",
    ],
)
def test_error_pages(html: str) -> None:
    result = extract_page(html.encode(), URL)
    assert isinstance(result, Rejected)
    assert result.reason.startswith("旧站的错误页")


@pytest.mark.parametrize(
    "raw", [b"", b"   \n", b"\x00\x00\x00\x00abc", b"PK\x03\x04zipzip", b"\x89PNG\r\n\x1a\n"]
)
def test_empty_and_binary_input(raw: bytes) -> None:
    assert isinstance(extract_page(raw, URL), Rejected)


def test_page_without_any_html_structure_is_rejected_not_raised() -> None:
    for raw in (b"<", b"<<<>>>", b"<!-- -->", b"<?xml version='1.0'?>", "纯文本".encode()):
        assert isinstance(extract_page(raw, URL), Rejected)


def test_deeply_nested_markup_does_not_raise() -> None:
    raw = ("<div>" * 20_000 + "深层嵌套的正文内容足够长。" + "</div>" * 20_000).encode()
    result = extract_page(raw, URL)
    assert isinstance(result, ExtractedPage) or not result.reason.startswith("页面解析出错")


def test_an_unforeseen_failure_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(layouts, "meta_tags", broken)
    assert extract_page(page().encode(), URL) == Rejected(URL, "页面解析出错（已记入日志），未导入")


def test_mutated_corpus_pages_never_raise() -> None:
    """Truncated and shuffled copies of every corpus page: a result for each, never an exception."""
    generator = random.Random(18)  # noqa: S311 - reproducible test data, not a secret
    for path in sorted(CORPUS.glob("*/*.html")):
        raw = path.read_bytes()
        for _round in range(8):
            cut = generator.randrange(len(raw) + 1)
            pieces = [raw[:cut], raw[cut:]]
            generator.shuffle(pieces)
            noise = bytes(generator.randrange(256) for _ in range(generator.randrange(8)))
            result = extract_page(b"".join(pieces) + noise, URL)
            assert isinstance(result, ExtractedPage) or not result.reason.startswith("页面解析出错")


# --- labelled fields --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("发布时间：2019-05-06 10:30", datetime.datetime(2019, 5, 6, 10, 30)),
        ("发布日期：2019-05-06 10:30:15", datetime.datetime(2019, 5, 6, 10, 30, 15)),
        ("日期：2019年05月06日", datetime.datetime(2019, 5, 6)),
        ("时间: 2019年5月6日 8:05", datetime.datetime(2019, 5, 6, 8, 5)),
        ("发布时间:2019/5/6", datetime.datetime(2019, 5, 6)),
        ("成文日期：2019-04-25 发布日期：2019-05-06", datetime.datetime(2019, 5, 6)),
        ("日期：2019-02-30", None),
        ("浏览次数：2019", None),
    ],
)
def test_labelled_dates(text: str, expected: datetime.datetime | None) -> None:
    assert layouts.labelled_date(text) == expected


def test_empty_source_label_gives_no_source() -> None:
    result = extracted(page(info="来源： 发布时间：2019-05-06 09:00 作者：").encode())
    assert (result.source, result.author, result.pub_date) == ("", "", datetime.datetime(2019, 5, 6, 9, 0))


def test_fields_are_not_taken_from_the_body() -> None:
    """The article quotes "来源：" and a date in its text; the page shows neither above it."""
    body = "<p>据统计，项目来源：企业自主申报。发布时间：2018-01-01 的文件同时废止，内容足够长。</p>"
    result = extracted(page(body, info="").encode())
    assert result.source == ""
    assert result.pub_date == datetime.datetime(2019, 5, 6)  # from the TRS address
    assert result.warnings == ("页面上没有发布日期，取自旧地址",)


def test_meta_tags_win_over_the_layout() -> None:
    head = (
        '<meta charset="utf-8"><meta name="ArticleTitle" content="规范标题">'
        '<meta name="PubDate" content="2020-01-02 03:04"><meta name="ContentSource" content="办公室">'
    )
    result = extracted(page(head=head, info="发布时间：2019-05-06 来源：别处").encode())
    assert (result.title, result.pub_date, result.source, result.method) == (
        "规范标题",
        datetime.datetime(2020, 1, 2, 3, 4),
        "办公室",
        "meta",
    )


@pytest.mark.parametrize(
    ("crumbs", "expected"),
    [
        (
            '当前位置：<a href="/">首页</a> &gt; <a>新闻中心</a> &gt; <a>工作动态</a>',
            ("新闻中心", "工作动态"),
        ),
        ("您现在的位置：网站首页 >> 政务公开 >> 政策文件 >> 正文", ("政务公开", "政策文件")),
        ("当前所在位置：首页 » 通知公告", ("通知公告",)),
    ],
)
def test_breadcrumbs(crumbs: str, expected: tuple[str, ...]) -> None:
    raw = page().replace("<h1>", f"<div>{crumbs}</div><h1>").encode()
    assert extracted(raw).breadcrumbs == expected


# --- cleaning --------------------------------------------------------------------------------------
def clean(html: str, base: str = URL) -> tuple[str, tuple[Asset, ...]]:
    element = fragment(html)
    assert element is not None
    return clean_body([element], base)


def test_cleaning_to_the_editors_html() -> None:
    html, _assets = clean(
        '<div class="x" style="color:red" onclick="go()"><script>evil()</script><style>p{}</style>'
        '<p class="MsoNormal" style="text-indent:2em"><span style="font-family:仿宋"><font size=4>'
        "&nbsp;&nbsp;　　正文,不改标点.</font></span></p><p>&nbsp;</p><p><o:p></o:p></p>"
        '<h1>标题</h1><h5>小标题</h5><strong>粗</strong><em>斜</em><iframe src="x"></iframe>'
        '<form><input name="q"></form><a href="javascript:void(0)">打印</a></div>'
    )
    assert html == "<p>正文,不改标点.</p><h2>标题</h2><h4>小标题</h4><p><b>粗</b><i>斜</i>打印</p>"


def test_links_and_images_are_absolute_and_collected() -> None:
    html, assets = clean(
        '<p><img src="./W0201905.jpg" alt="现场"><img src="data:image/png;base64,AAAA">'
        '<img OLDSRC="W02.png" src=""><img src="/images/icon_pdf.gif">'
        '<a href="../P0201905.pdf">方案.pdf</a> <a href="/gzdt/">工作动态</a> '
        '<a href="/down.jsp?id=1&amp;filename=%E8%A1%A8.xlsx">表格</a> <a href="#top">顶部</a></p>'
    )
    base = "http://kjt.nmg.gov.cn/kjdt/gzdt/"
    assert assets == (
        Asset(f"{base}201905/W0201905.jpg", "现场", is_image=True),
        Asset(f"{base}201905/W02.png", "", is_image=True),
        Asset(f"{base}P0201905.pdf", "方案.pdf"),
        Asset("http://kjt.nmg.gov.cn/down.jsp?id=1&filename=%E8%A1%A8.xlsx", "表格"),
    )
    assert 'href="http://kjt.nmg.gov.cn/gzdt/"' in html
    assert "icon_pdf" not in html and "data:" not in html and "#top" not in html


def test_tables_are_kept_with_spans_only() -> None:
    html, _assets = clean(
        '<table border=1 style="x" width="100%"><tbody>\n <tr bgcolor="#eee">\n <td width="30%" colspan="2" '
        'class="c"> <p>甲</p> </td></tr></tbody></table>'
    )
    assert html == '<table><tbody><tr><td colspan="2"><p>甲</p></td></tr></tbody></table>'


def test_loose_text_and_divs_become_paragraphs() -> None:
    html, _assets = clean("第一行<br>第二行<div>第三段</div><div><div>第四段</div>尾巴</div>")
    assert html == "<p>第一行<br>第二行</p><p>第三段</p><p>第四段</p><p>尾巴</p>"


def test_list_page_inside_a_named_container() -> None:
    """A column page whose template wraps its list in `#content` (the same wrapper as its articles)."""
    items = "".join(
        f'<li><a href="./2019{number:02}/t1_{number}.html">第{number}条新闻标题</a></li>'
        for number in range(20)
    )
    raw = f'<html><head><meta charset="utf-8"></head><body><div id="content"><ul>{items}</ul></div></body>'
    assert extract_page(raw.encode(), URL) == Rejected(URL, "列表页（20 个链接，没有文章正文）")


def test_article_with_many_links_in_a_named_container_is_kept() -> None:
    links = "".join(f'<a href="/zc/{number}.html">政策{number}</a>' for number in range(20))
    body = f"<p>为贯彻落实有关文件精神，现将近年来出台的科技政策汇编如下，供参考。{'正文' * 200}</p>"
    assert "政策汇编" in extracted(page(body + f"<p>{links}</p>").encode()).body_html


def test_general_finder_in_a_table_layout() -> None:
    """A hand-made page of nested layout tables: the cell with the paragraphs, not the outer cell."""
    nav = "".join(f'<tr><td><a href="/l{number}/">左侧栏目导航{number}</a></td></tr>' for number in range(12))
    text = "".join(
        f"<p>第{number}段：全市科技工作会议部署了本年度的重点任务和保障措施。</p>" for number in range(6)
    )
    raw = (
        '<html><head><meta charset="utf-8"><title>全市科技工作会议召开</title></head><body>'
        f'<table><tr><td><table>{nav}</table></td><td><table><tr><td class="t">全市科技工作会议召开</td></tr>'
        f"<tr><td>发布日期：2019-05-06</td></tr><tr><td>{text}</td></tr></table></td></tr></table></body></html>"
    )
    result = extracted(raw.encode())
    assert result.method == "general"
    assert result.body_html == text
    assert (result.title, result.pub_date) == ("全市科技工作会议召开", datetime.datetime(2019, 5, 6))
