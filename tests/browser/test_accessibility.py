"""WCAG 2.1 A/AA (axe-core) on every kind of public page, plus what axe cannot see: keyboard, reflow."""

import itertools
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from .support import Traffic, describe_violations, run_axe

WIDTHS = [1280, 375]
ARTICLE = "{article}"
STANDARD_PAGES = {
    "home": "/",
    "column": "/kjdt/mtjj/",
    "paginated-column": "/kjdt/gzdt/",
    "paginated-column-page-2": "/kjdt/gzdt/index_2.html",
    "article": ARTICLE,
    "info-page": "/wzsm/",
    "html-sitemap": "/sitemap/",
    "search-form": "/search/",
    "search-results": "/search/?q=%E5%BC%A0%E6%B1%9F",
    "search-no-results": "/search/?q=qqqqxxxx",
}
# Every page type again in the 长辈版.
PAGES = {**STANDARD_PAGES, **{f"elder-{k}": "/elder" + v for k, v in STANDARD_PAGES.items()}}
GENERIC_LINK_TEXT = {
    "更多",
    "更多>>",
    "点击这里",
    "点击",
    "这里",
    "详情",
    "详细",
    "查看",
    "链接",
    "more",
    "here",
}
ORG_GROUPS = {"自治区政府组成部门": 22, "自治区直属特设机构": 1, "自治区直属机构": 10}


def _axe_clean(page: Page, what: str) -> None:
    violations = run_axe(page)
    assert not violations, f"{what}: {len(violations)} axe violations\n{describe_violations(violations)}"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_axe_wcag21_aa(
    page: Page, demo_server: str, article_path: str, traffic: Traffic, name: str, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    path = PAGES[name].replace(ARTICLE, article_path)
    response = page.goto(demo_server + path)
    assert response is not None and response.status == 200, path
    if name.endswith("paginated-column"):  # make sure the pagination is really there to be checked
        expect(page.get_by_role("navigation", name="分页")).to_be_visible()
    if name.startswith("elder"):
        expect(page.locator("html")).to_have_class(re.compile(r"\bversion-elder\b"))
    _axe_clean(page, f"{path} at {width}px")
    assert traffic.errors == []
    assert traffic.foreign() == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("version", ["", "/elder"], ids=["standard", "elder"])
def test_axe_on_404_page(page: Page, demo_server: str, version: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(demo_server + version + "/no-such-page/")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("抱歉，您访问的页面不存在")
    _axe_clean(page, f"{version} 404 page at {width}px")
    expect(
        page.locator("header").get_by_role("link", name="退出长辈版" if version else "长辈版")
    ).to_be_visible()


# What axe does not check: one h1 that opens the main content, headings that never skip a level,
# the landmarks, link text that makes sense on its own, alt text, the page language.
STRUCTURE = """() => {
  const shown = e => e.getClientRects().length || e.closest('.visually-hidden');
  const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].filter(shown)
    .map(h => [Number(h.tagName[1]), h.textContent.trim(), !!h.closest('main')]);
  // A link's accessible name: aria-label, its text or its images' alt; links hidden from assistive
  // technology (aria-hidden, e.g. the 焦点图 image repeating its title link) are not in the tree.
  const links = [...document.querySelectorAll('a[href]')].filter(shown)
    .filter(a => !a.closest('[aria-hidden="true"]'))
    .map(a => (a.getAttribute('aria-label') || a.textContent.trim()
               || [...a.querySelectorAll('img[alt]')].map(i => i.alt).join(' '))
      .replace(/\\s+/g, ' ').trim());
  const count = s => document.querySelectorAll(s).length;
  return {
    lang: document.documentElement.lang, headings, links,
    landmarks: { banner: count('body > header'), main: count('main'), contentinfo: count('body > footer'),
                 nav: count('nav[aria-label]'), unnamedNav: count('nav:not([aria-label])') },
    imagesWithoutAlt: count('img:not([alt])'),
    firstInMain: (document.querySelector('main h1, main h2, main h3') || {}).tagName,
  };
}"""


@pytest.mark.parametrize("name", [*PAGES, "404", "elder-404"])
def test_page_structure(page: Page, demo_server: str, article_path: str, name: str) -> None:
    path = {"404": "/no-such-page/", "elder-404": "/elder/no-such-page/"}.get(name) or PAGES[name]
    page.goto(demo_server + path.replace(ARTICLE, article_path))
    # Open every disclosure: what is inside must be in order too.
    for summary in page.locator("details > summary").all():
        summary.click()
    info = page.evaluate(STRUCTURE)
    assert info["lang"] == "zh-CN"
    levels = [level for level, _, _ in info["headings"]]
    assert levels.count(1) == 1, info["headings"]
    assert info["firstInMain"] == "H1", info["headings"]
    skipped = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
    assert not skipped, info["headings"]
    assert info["landmarks"] == {
        **info["landmarks"],
        "banner": 1,
        "main": 1,
        "contentinfo": 1,
        "unnamedNav": 0,
    }
    assert info["landmarks"]["nav"] >= 2
    assert all(info["links"]), "a link without text"
    generic = [t for t in info["links"] if t.lower() in GENERIC_LINK_TEXT]
    assert not generic, generic
    assert info["imagesWithoutAlt"] == 0


@pytest.mark.parametrize("name", ["home", "column", "article", "info-page", "html-sitemap", "search-results"])
def test_text_at_200_percent_and_reflow_at_320px(
    page: Page, demo_server: str, article_path: str, name: str
) -> None:
    """WCAG 1.4.4 (text resized to 200 % in a 1280 px window) and 1.4.10 (320 px), both versions."""
    overflow = """() => {
      const clipped = [...document.querySelectorAll('main *, header *, footer *')].filter(e => {
        const s = getComputedStyle(e);
        return ['hidden', 'clip'].includes(s.overflowX) && e.scrollWidth > e.clientWidth + 1
          && !e.closest('.visually-hidden') && e.getClientRects().length;
      }).map(e => e.outerHTML.slice(0, 60));
      return { width: document.scrollingElement.scrollWidth, clipped };
    }"""
    for version in ("", "/elder"):
        url = demo_server + version + PAGES[name].replace(ARTICLE, article_path)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(url)
        page.evaluate("document.documentElement.style.setProperty('--a11y-zoom', '2')")
        base = 24 if version else 16
        assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") == 2 * base
        result = page.evaluate(overflow)
        assert result == {"width": result["width"], "clipped": []} and result["width"] <= 1280, (url, result)
        page.set_viewport_size({"width": 320, "height": 640})
        page.goto(url)
        result = page.evaluate(overflow)
        assert result["width"] <= 320 and result["clipped"] == [], (url, result)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("version", ["", "/elder"], ids=["standard", "elder"])
def test_axe_with_every_panel_open(
    page: Page, demo_server: str, article_path: str, traffic: Traffic, version: str, width: int
) -> None:
    """Content inside closed disclosures is invisible to axe: open them all (the toolbar's own checks,
    配色 included, are in test_toolbar.py)."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(demo_server + version + article_path)
    for summary in page.locator("details > summary").all():
        summary.click()
    expect(page.locator("details:not([open])")).to_have_count(0)
    page.get_by_role("button", name="无障碍浏览").click()
    expect(page.get_by_role("toolbar", name="无障碍工具条")).to_be_visible()
    _axe_clean(page, f"{version}{article_path} at {width}px, panels open")
    assert traffic.errors == []


def test_first_tab_reaches_skip_link_which_moves_focus_to_main(
    page: Page, demo_server: str, article_path: str
) -> None:
    page.goto(demo_server + article_path)
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_text("跳到主要内容")
    expect(focused).to_have_attribute("href", "#main")
    box = focused.bounding_box()  # visible on screen once focused
    assert box is not None and box["y"] >= 0 and box["height"] > 0, box
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"

    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    assert urlsplit(page.url).fragment == "main"
    # The next Tab continues from the start of the main content, not from the top of the page.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


@pytest.mark.parametrize("version", ["", "/elder"], ids=["standard", "elder"])
def test_no_horizontal_scroll_at_320px(
    page: Page, demo_server: str, article_path: str, version: str, results_dir
) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(demo_server + version + article_path)
    width = "document.scrollingElement.scrollWidth"
    assert page.evaluate(width) <= 320
    page.screenshot(path=str(results_dir / f"article-320px{version.replace('/', '-')}.png"), full_page=True)
    # …including at the largest 字号, and with the 微信 QR panel and the department directory open.
    page.get_by_role("group", name="字号").get_by_role("button", name="大").click()
    assert page.evaluate(width) <= 320
    if not version:  # (the 长辈版 has no share panel)
        page.locator(".share summary").click()
        expect(page.locator(".share svg")).to_be_visible()
        assert page.evaluate(width) <= 320
    page.locator(".org-directory summary").click()
    assert page.evaluate(width) <= 320
    expect(page.locator(".article-body")).to_be_visible()


def test_department_directory_by_keyboard(page: Page, demo_server: str) -> None:
    page.goto(demo_server + "/")
    directory = page.locator("details.org-directory")
    summary = directory.locator("summary")
    expect(summary).to_have_text("部门网站导航")
    expect(directory.get_by_role("link", name="教育厅")).to_be_hidden()

    for _ in range(20):  # Tab through the header until the disclosure has focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
    expect(summary).to_be_focused()
    page.keyboard.press("Enter")
    expect(directory).to_have_attribute("open", "")
    nav = directory.get_by_role("navigation", name="部门网站导航")
    expect(nav).to_be_visible()
    page.keyboard.press("Tab")
    expect(nav.get_by_role("link", name="发展和改革委员会")).to_be_focused()

    groups = nav.locator(".org-group")
    expect(groups.get_by_role("heading", level=2)).to_have_text(list(ORG_GROUPS))
    for i, count in enumerate(ORG_GROUPS.values()):
        expect(groups.nth(i).get_by_role("listitem")).to_have_count(count)
    expect(nav.get_by_role("listitem")).to_have_count(33)

    port = urlsplit(demo_server).port
    education = nav.get_by_role("link", name="教育厅", exact=True)
    expect(education).to_be_visible()
    assert education.evaluate("a => a.href") == f"http://jyt.localhost:{port}/"
    defence = nav.get_by_role("listitem").filter(has_text="国防动员办公室")
    expect(defence).to_have_count(1)
    expect(defence.get_by_role("link")).to_have_count(0)
    expect(defence).to_be_visible()

    # Enter on the summary again folds the list away.
    summary.focus()
    page.keyboard.press("Enter")
    expect(nav).to_be_hidden()

    # The link really reaches the second demo site (*.localhost resolves to this machine).
    response = page.goto(f"http://jyt.localhost:{port}/")
    assert response is not None and response.status == 200
    expect(page.locator(".site-title")).to_have_text("内蒙古自治区教育厅")
