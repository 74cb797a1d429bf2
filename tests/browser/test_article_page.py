"""The seed article, as a reader sees it in Chromium: every element of the page, and its tools."""

import io
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import segno
from PIL import Image
from playwright.sync_api import Page, expect

from .support import SEED_TITLE, Traffic

PREVIOUS_TITLE = "中小企业发展环境评估报告发布 上海综合得分摘冠"
NEXT_TITLE = "大湾区科技金融路演中心揭牌,打造“线上线下”路演平台"
BODY_FONT = "e => parseFloat(getComputedStyle(e).fontSize)"


def _open(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    expect(page.locator("h1")).to_have_text(SEED_TITLE)


def _assert_clean(traffic: Traffic) -> None:
    assert traffic.requests, "no request was recorded"
    assert traffic.foreign() == [], "requests left the server"
    assert traffic.errors == [], "console errors (CSP violation or failed load)"


def test_article_content_header_footer(
    page: Page, demo_server: str, article_path: str, traffic: Traffic, results_dir
) -> None:
    _open(page, demo_server + article_path)
    expect(page).to_have_title(f"{SEED_TITLE} - 内蒙古自治区科学技术厅")

    # 当前位置: 首页 > 科技动态 > 媒体聚焦, every step a link.
    crumbs = page.get_by_role("navigation", name="当前位置")
    expect(crumbs).to_contain_text("当前位置：")
    links = crumbs.get_by_role("link")
    expect(links).to_have_text(["首页", "科技动态", "媒体聚焦"])
    assert [urlsplit(a).path for a in links.evaluate_all("as => as.map(a => a.href)")] == [
        "/",
        "/kjdt/",
        "/kjdt/mtjj/",
    ]
    separator = crumbs.locator("li").nth(1).evaluate("e => getComputedStyle(e, '::before').content")
    assert ">" in separator, separator

    # Title, source, date.
    article = page.get_by_role("article", name=SEED_TITLE)
    expect(article.get_by_role("heading", level=1)).to_have_text(SEED_TITLE)
    expect(article.locator(".source")).to_have_text("来源：科技日报")
    expect(article.locator(".pub-date")).to_have_text("发布日期：2021-03-31")  # no time was given
    assert article.locator(".pub-date time").get_attribute("datetime").startswith("2021-03-31T00:00")
    expect(article.locator("#article-body p").first).to_contain_text("张江国家自主创新示范区")

    # The article tools are shown (they are hidden until site.js has wired them up).
    expect(page.get_by_role("group", name="字号")).to_be_visible()
    for name in ("大", "中", "小", "朗读全文", "复制链接", "打印本页"):
        expect(article.get_by_role("button", name=name, exact=True)).to_be_visible()
    expect(article.locator(".share")).to_contain_text("分享到：")
    expect(article.locator(".share summary")).to_have_text("微信")
    expect(article.get_by_role("link", name="微博")).to_be_visible()

    # 附件 section (the seed article has none, and says so).
    attachments = page.get_by_role("region", name="附件：")
    expect(attachments.get_by_role("heading", level=2)).to_have_text("附件：")
    expect(attachments).to_contain_text("无")

    # 上一篇 / 下一篇.
    prev_next = page.get_by_role("navigation", name="上一篇和下一篇")
    expect(prev_next.locator("p").first).to_have_text(f"上一篇：{PREVIOUS_TITLE}")
    expect(prev_next.locator("p").last).to_have_text(f"下一篇：{NEXT_TITLE}")

    # Header: 长辈版 and 无障碍浏览.
    header = page.locator("header.site-header")
    elder = header.get_by_role("link", name="长辈版", exact=True)
    expect(elder).to_have_attribute("href", "/elder" + article_path)
    expect(header.get_by_role("button", name="无障碍浏览")).to_be_visible()

    # Footer.
    footer = page.get_by_role("contentinfo")
    expect(footer).to_contain_text("主办单位：内蒙古自治区科学技术厅")
    expect(footer).to_contain_text("政府网站标识码：1500000057")
    icp = footer.get_by_role("link", name="蒙ICP备2021001220号-1")
    assert urlsplit(icp.get_attribute("href")).netloc == "beian.miit.gov.cn"
    police = footer.get_by_role("link", name="蒙公网安备15010502002335号")
    police_href = urlsplit(police.get_attribute("href"))
    assert police_href.netloc in ("beian.gov.cn", "www.beian.gov.cn"), police_href
    assert parse_qs(police_href.query)["recordcode"] == ["15010502002335"]

    # Everything came from our own server, without a console error.
    page.wait_for_load_state("networkidle")
    _assert_clean(traffic)

    # What the page costs a reader: every resource's transferred bytes (headers + body).
    resources = []
    for request in traffic.requests:
        sizes = request.sizes()
        resources.append(
            {
                "url": request.url.removeprefix(demo_server),
                "type": request.resource_type,
                "status": request.response().status,
                "encoding": request.response().headers.get("content-encoding", ""),
                "body_bytes": sizes["responseBodySize"],
                "header_bytes": sizes["responseHeadersSize"],
            }
        )
    code = [r for r in resources if r["type"] in ("document", "stylesheet", "script")]
    summary = {
        "requests": len(resources),
        "html_css_js_bytes": sum(r["body_bytes"] + r["header_bytes"] for r in code),
        "all_bytes": sum(r["body_bytes"] + r["header_bytes"] for r in resources),
        "resources": resources,
    }
    (results_dir / "article-transfer.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2))
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    assert all(r["status"] == 200 for r in resources), resources
    # A budget: a text page stays light (the HTML is not compressed by the embedded server).
    assert summary["requests"] <= 8, summary
    assert summary["html_css_js_bytes"] <= 60_000, summary

    # A site icon of our own, so browsers do not ask for a missing /favicon.ico on every visit.
    icon = page.locator("link[rel~='icon']")
    expect(icon).to_have_count(1)
    icon_response = page.request.get(icon.evaluate("l => l.href"))
    assert icon_response.ok and icon_response.headers["content-type"].startswith("image/")

    page.screenshot(path=str(results_dir / "article-page.png"), full_page=True)


@pytest.mark.parametrize("version", ["", "/elder"], ids=["standard", "elder"])
def test_font_size_buttons_change_the_body_and_persist(
    page: Page, demo_server: str, article_path: str, traffic: Traffic, version: str
) -> None:
    _open(page, demo_server + version + article_path)
    group = page.get_by_role("group", name="字号")
    expect(group.get_by_role("button")).to_have_text(["大", "中", "小"])
    body = page.locator("#article-body")
    paragraph = body.locator("p").first

    sizes = {}
    for name in ("大", "中", "小"):
        button = group.get_by_role("button", name=name, exact=True)
        button.click()
        expect(button).to_have_attribute("aria-pressed", "true")
        expect(group.locator("button[aria-pressed='true']")).to_have_count(1)
        sizes[name] = body.evaluate(BODY_FONT)
        assert paragraph.evaluate(BODY_FONT) == sizes[name]
    assert sizes["大"] > sizes["中"] > sizes["小"], sizes

    # The choice survives a reload (it is kept in localStorage, no cookie, no request).
    page.reload()
    assert body.evaluate(BODY_FONT) == sizes["小"]
    expect(group.get_by_role("button", name="小")).to_have_attribute("aria-pressed", "true")
    group.get_by_role("button", name="大").click()
    page.reload()
    assert body.evaluate(BODY_FONT) == sizes["大"]
    expect(group.get_by_role("button", name="大")).to_have_attribute("aria-pressed", "true")
    expect(group.get_by_role("button", name="中")).to_have_attribute("aria-pressed", "false")

    # A fresh reader starts at 中.
    page.evaluate("localStorage.clear()")
    page.reload()
    assert body.evaluate(BODY_FONT) == sizes["中"]
    _assert_clean(traffic)


def _qr_modules(png: bytes) -> list[list[bool]]:
    """Read the dark/light modules off a screenshot of a QR code (the symbol, without its margin)."""
    image = Image.open(io.BytesIO(png)).convert("L")
    left, top, right, bottom = image.point(lambda p: 255 if p < 128 else 0).getbbox()
    # The finder pattern in the top-left corner is 7 modules wide.
    module = [image.getpixel((x, top + 1)) < 128 for x in range(left, right)].index(False) / 7
    count = round((right - left) / module)
    assert count == round((bottom - top) / module), "the QR code is not square"

    def dark(row: int, col: int) -> bool:
        return image.getpixel((int(left + (col + 0.5) * module), int(top + (row + 0.5) * module))) < 128

    return [[dark(r, c) for c in range(count)] for r in range(count)]


def test_wechat_share_reveals_a_server_rendered_qr_code(
    page: Page, demo_server: str, article_path: str, traffic: Traffic
) -> None:
    _open(page, demo_server + article_path)
    share = page.locator(".share")
    wechat = share.locator("details")
    summary = wechat.locator("summary")
    qr = wechat.locator("svg")
    expect(summary).to_have_text("微信")
    expect(qr).to_be_hidden()
    page.wait_for_load_state("networkidle")
    requests_before = len(traffic.requests)

    summary.focus()  # a disclosure: operable from the keyboard
    page.keyboard.press("Enter")
    expect(wechat).to_have_attribute("open", "")
    expect(qr).to_be_visible()
    expect(wechat).to_contain_text("扫一扫")
    # Inline SVG drawn by our server: no <img>, no third-party QR service, no request at all.
    assert qr.evaluate("e => e.namespaceURI") == "http://www.w3.org/2000/svg"
    expect(wechat.locator("img, iframe, object")).to_have_count(0)
    expect(qr).to_have_attribute("role", "img")
    expect(page.get_by_role("img", name="用微信扫码分享本页")).to_be_visible()
    page.wait_for_timeout(200)
    assert len(traffic.requests) == requests_before, [r.url for r in traffic.requests[requests_before:]]

    # The code a phone scans is this article's address (the same one 复制链接 copies).
    url = page.get_by_role("button", name="复制链接").get_attribute("data-copy-url")
    assert urlsplit(url).path == article_path and urlsplit(url).port == urlsplit(demo_server).port
    modules = _qr_modules(qr.screenshot())
    # Whatever error level and mask pattern the server chose, the modules must be those of this URL.
    candidates = [
        [[bool(m) for m in row] for row in segno.make(url, error=e, mask=mask).matrix]
        for e in "lmqh"
        for mask in range(8)
    ]
    assert modules in candidates, "the QR code does not encode " + url

    page.keyboard.press("Enter")
    expect(qr).to_be_hidden()
    _assert_clean(traffic)


def test_weibo_share_link(page: Page, demo_server: str, article_path: str, traffic: Traffic) -> None:
    _open(page, demo_server + article_path)
    weibo = page.locator(".share").get_by_role("link", name=re.compile("^微博"))
    href = urlsplit(weibo.get_attribute("href"))
    assert (href.scheme, href.netloc, href.path) == ("https", "service.weibo.com", "/share/share.php")
    query = parse_qs(href.query)
    shared = urlsplit(query["url"][0])
    assert shared.path == article_path and shared.port == urlsplit(demo_server).port, shared
    assert query["title"] == [SEED_TITLE]
    expect(weibo).to_have_attribute("target", "_blank")
    expect(weibo).to_have_attribute("rel", re.compile(r"\bnoopener\b"))
    expect(weibo).to_have_accessible_name(re.compile("新窗口"))
    _assert_clean(traffic)


def test_copy_link(page: Page, demo_server: str, article_path: str, traffic: Traffic) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=demo_server)
    _open(page, demo_server + article_path)
    button = page.get_by_role("button", name="复制链接")
    status = page.locator(".share").get_by_role("status")
    expect(status).to_have_text("")
    button.click()
    expect(status).to_have_text("链接已复制")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == button.get_attribute("data-copy-url")
    assert urlsplit(copied).path == article_path

    # When the browser refuses, the reader is told so.
    page.evaluate("() => { navigator.clipboard.writeText = () => Promise.reject(new Error('denied')); }")
    button.click()
    expect(status).to_have_text(re.compile("^复制失败"))
    _assert_clean(traffic)


def test_print_button_and_print_stylesheet(
    page: Page, demo_server: str, article_path: str, traffic: Traffic
) -> None:
    _open(page, demo_server + article_path)
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    page.get_by_role("button", name="打印本页").click()
    assert page.evaluate("window.__printed") == 1

    display = "e => getComputedStyle(e).display"
    assert page.locator(".site-nav").evaluate(display) != "none"
    page.emulate_media(media="print")
    chrome = (".site-nav", ".topbar", ".org-directory", ".site-search", ".breadcrumbs", ".article-tools")
    for hidden in (*chrome, ".share", ".prev-next", ".site-footer .footer-links", ".site-footer .footer-nav"):
        assert page.locator(hidden).evaluate(display) == "none", hidden
    for content in (".article-title", ".meta-facts", "#article-body", ".attachments", ".site-footer"):
        assert page.locator(content).evaluate(display) != "none", content
    page.emulate_media(media="screen")
    assert page.locator(".site-nav").evaluate(display) != "none"
    _assert_clean(traffic)


def test_previous_and_next_articles(
    page: Page, demo_server: str, article_path: str, traffic: Traffic
) -> None:
    _open(page, demo_server + article_path)
    nav = page.get_by_role("navigation", name="上一篇和下一篇")
    nav.get_by_role("link", name=PREVIOUS_TITLE).click()
    expect(page.locator("h1")).to_have_text(PREVIOUS_TITLE)
    assert urlsplit(page.url).path.startswith("/kjdt/mtjj/")
    # …and back again: this article is the newer one's 下一篇.
    expect(nav.get_by_role("link", name=SEED_TITLE)).to_be_visible()

    _open(page, demo_server + article_path)
    nav.get_by_role("link", name=NEXT_TITLE).click()
    expect(page.locator("h1")).to_have_text(NEXT_TITLE)
    nav.get_by_role("link", name=SEED_TITLE).click()
    expect(page.locator("h1")).to_have_text(SEED_TITLE)
    assert page.url == demo_server + article_path
    _assert_clean(traffic)


def test_elder_version_round_trip(page: Page, demo_server: str, article_path: str, traffic: Traffic) -> None:
    _open(page, demo_server + article_path)
    standard_size = page.locator("body").evaluate(BODY_FONT)
    page.locator("header").get_by_role("link", name="长辈版", exact=True).click()
    expect(page).to_have_url(demo_server + "/elder" + article_path)
    expect(page.locator("h1")).to_have_text(SEED_TITLE)
    expect(page.locator("html")).to_have_class(re.compile(r"\bversion-elder\b"))
    assert page.locator("body").evaluate(BODY_FONT) > standard_size
    # Links inside the elder version keep the reader in it.
    crumb = page.get_by_role("navigation", name="当前位置").get_by_role("link", name="媒体聚焦")
    expect(crumb).to_have_attribute("href", "/elder/kjdt/mtjj/")

    page.locator("header").get_by_role("link", name="退出长辈版").click()
    expect(page).to_have_url(demo_server + article_path)
    expect(page.locator("html")).to_have_class(re.compile(r"\bversion-standard\b"))
    expect(page.locator("header").get_by_role("link", name="长辈版", exact=True)).to_be_visible()
    _assert_clean(traffic)


def test_accessibility_toolbar_entry(
    page: Page, demo_server: str, article_path: str, traffic: Traffic
) -> None:
    _open(page, demo_server + article_path)
    toggle = page.locator("header").get_by_role("button", name="无障碍浏览")
    toolbar = page.get_by_role("toolbar", name="无障碍工具条")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toolbar).to_have_count(0)  # not even loaded yet
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(toolbar).to_be_visible()
    root_size = "() => parseFloat(getComputedStyle(document.documentElement).fontSize)"
    before = page.evaluate(root_size)
    toolbar.get_by_role("button", name="放大").click()
    assert page.evaluate(root_size) > before
    toolbar.get_by_role("button", name="重置").click()
    assert page.evaluate(root_size) == before
    toolbar.get_by_role("button", name="关闭工具条").click()
    expect(toolbar).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    _assert_clean(traffic)


def test_archive_list_page_shows_its_page_number(page: Page, demo_server: str, traffic: Traffic) -> None:
    """The published archive page does not carry the numbers (its file never changes): site.js reads
    them from the column's front page."""
    page.goto(demo_server + "/kjdt/gzdt/")
    front = page.locator(".list-position").text_content() or ""
    match = re.fullmatch(r"第 1 页，共 (\d+) 页（共 (\d+) 条）", front)
    assert match and int(match[1]) > 1, front
    page.get_by_role("navigation", name="分页").get_by_role("link", name="尾页").click()
    expect(page.locator(".list-position")).to_have_text(
        f"第 {match[1]} 页，共 {match[1]} 页（共 {match[2]} 条）"
    )
    expect(page.locator(".list-range")).to_have_text(
        re.compile(r"^本页为 \d{4}-\d\d-\d\d 至 \d{4}-\d\d-\d\d 发布的信息$")
    )
    _assert_clean(traffic)
