"""The 长辈版, measured in Chromium against the MIIT 适老化 numbers (requirements §4.1–4.2)."""

import json
import re

import pytest
from playwright.sync_api import Page, expect

from .support import SEED_TITLE, SPEECH_STUB, Traffic, spoken

ARTICLE = "{article}"
ELDER_PAGES = {
    "home": "/elder/",
    "column": "/elder/kjdt/mtjj/",
    "paginated-column": "/elder/kjdt/gzdt/",
    "article": "/elder" + ARTICLE,
    "info-page": "/elder/wzsm/",
    "html-sitemap": "/elder/sitemap/",
    "search": "/elder/search/?q=%E5%BC%A0%E6%B1%9F",
    "404": "/elder/no-such-page/",
}
MIN_TEXT = {1280: 24, 375: 20}  # main text, CSS px: desktop and phone
MIN_HEADING = 30
MIN_LINE_HEIGHT = 1.5
MIN_TARGET = 60
TARGETS = (
    ".site-nav a, .section-nav a, .pagination a, .version-switch a, .version-switch button, "
    "main button, summary, .search-form button, .site-search button"
)

# Every visible run of text on the page, with its element's computed size and line height.
TEXT_RUNS = """() => {
  const out = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const e = n.parentElement, text = n.textContent.trim();
    if (!text || !e.getClientRects().length) continue;
    if (e.closest('.visually-hidden, [aria-hidden=true], option')) continue;
    const s = getComputedStyle(e);
    if (s.visibility === 'hidden') continue;
    out.push({ text: text.slice(0, 30), tag: e.tagName, cls: e.className, size: parseFloat(s.fontSize),
               line: s.lineHeight === 'normal' ? 0 : parseFloat(s.lineHeight) });
  }
  return out;
}"""


def _goto(page: Page, demo_server: str, article_path: str, name: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    path = ELDER_PAGES[name].replace(ARTICLE, article_path)
    response = page.goto(demo_server + path)
    assert response is not None and response.status == (404 if name == "404" else 200), path
    expect(page.locator("html")).to_have_class(re.compile(r"\bversion-elder\b"))


@pytest.mark.parametrize("width", list(MIN_TEXT))
@pytest.mark.parametrize("name", ELDER_PAGES)
def test_elder_type_sizes_line_height_and_targets(
    page: Page, demo_server: str, article_path: str, traffic: Traffic, results_dir, name: str, width: int
) -> None:
    _goto(page, demo_server, article_path, name, width)
    runs = page.evaluate(TEXT_RUNS)
    assert len(runs) > 10
    small = [r for r in runs if r["size"] < MIN_TEXT[width] - 0.01]
    assert not small, f"text under {MIN_TEXT[width]}px: {small[:8]}"
    tight = [r for r in runs if r["line"] < MIN_LINE_HEIGHT * r["size"] - 0.01]
    assert not tight, f"line height under {MIN_LINE_HEIGHT}: {tight[:8]}"

    headings = page.locator("h1, h2, h3").evaluate_all(
        "hs => hs.filter(h => h.getClientRects().length && !h.closest('.visually-hidden'))"
        "        .map(h => [h.textContent.trim().slice(0, 20), parseFloat(getComputedStyle(h).fontSize)])"
    )
    assert headings and all(size >= MIN_HEADING for _, size in headings), headings

    boxes = page.locator(TARGETS).evaluate_all(
        "es => es.filter(e => e.getClientRects().length).map(e => { const r = e.getBoundingClientRect();"
        " return [e.textContent.trim().slice(0, 12), r.width, r.height]; })"
    )
    assert len(boxes) >= 5, boxes
    too_small = [b for b in boxes if b[1] < MIN_TARGET - 0.5 or b[2] < MIN_TARGET - 0.5]
    assert not too_small, f"targets under {MIN_TARGET}×{MIN_TARGET}: {too_small}"

    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    page.screenshot(path=str(results_dir / f"elder-{name}-{width}.png"), full_page=True)
    if name == "article":  # the numbers, for docs/accessibility.md
        main_text = page.locator("#article-body p").first.evaluate(
            "e => [parseFloat(getComputedStyle(e).fontSize), parseFloat(getComputedStyle(e).lineHeight)]"
        )
        h1 = page.locator("h1").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        (results_dir / f"elder-measurements-{width}.json").write_text(
            json.dumps(
                {
                    "width": width,
                    "article_text_px": main_text[0],
                    "article_line_height_ratio": round(main_text[1] / main_text[0], 2),
                    "smallest_text_px": min(r["size"] for r in runs),
                    "h1_px": h1,
                    "smallest_heading_px": min(size for _, size in headings),
                    "smallest_target_px": [min(b[1] for b in boxes), min(b[2] for b in boxes)],
                },
                indent=2,
            )
        )
    errors = [e for e in traffic.errors if not (name == "404" and "status of 404" in e)]
    assert errors == [] and traffic.foreign() == []


@pytest.mark.parametrize("name", ["home", "column", "article", "search"])
def test_elder_has_no_ads_popups_carousels_or_autoplay(
    page: Page, demo_server: str, article_path: str, name: str
) -> None:
    _goto(page, demo_server, article_path, name, 1280)
    page.wait_for_timeout(1500)  # anything on a timer would have shown itself by now
    assert (
        page.locator(
            "marquee, iframe, embed, object, video, audio, [autoplay], dialog, [role=dialog]"
        ).count()
        == 0
    )
    fixed = page.evaluate(
        "() => [...document.querySelectorAll('body *')].filter(e => ['fixed', 'sticky']"
        ".includes(getComputedStyle(e).position)).map(e => e.outerHTML.slice(0, 80))"
    )
    assert fixed == [], fixed
    assert page.evaluate("document.getAnimations().length") == 0
    # No link out to a third party inside the content (share buttons and feeds are left out).
    assert page.locator("main a[href^='http']").count() == 0


def test_every_same_site_link_keeps_the_reader_in_the_elder_version(
    page: Page, demo_server: str, article_path: str
) -> None:
    for name in ("home", "column", "article", "info-page", "html-sitemap", "search", "404"):
        _goto(page, demo_server, article_path, name, 1280)
        hrefs = page.locator("a[href]").evaluate_all("as => as.map(a => [a.textContent.trim(), a.href])")
        own = [(text, href) for text, href in hrefs if href.startswith(demo_server + "/")]
        assert own
        leaving = [
            (text, href)
            for text, href in own
            if not href.startswith(demo_server + "/elder/") and text != "退出长辈版" and "#" not in href
        ]
        assert leaving == [], (name, leaving)
    # …and search keeps it too: the form submits to the elder address.
    page.goto(demo_server + "/elder/search/")
    page.locator("main").get_by_role("searchbox").fill("张江")
    page.locator("main").get_by_role("button", name="搜索").click()
    expect(page).to_have_url(re.compile(r"/elder/search/\?"))
    expect(page.locator("html")).to_have_class(re.compile(r"\bversion-elder\b"))


def test_read_aloud_on_article_pages(
    page: Page, demo_server: str, article_path: str, traffic: Traffic
) -> None:
    page.add_init_script(SPEECH_STUB)
    _goto(page, demo_server, article_path, "article", 1280)
    page.evaluate("window.__autoEnd = true")
    paragraphs = [t.strip() for t in page.locator("#article-body p").all_inner_texts() if t.strip()]
    button = page.get_by_role("button", name="朗读全文")
    box = button.bounding_box()
    assert box["width"] >= MIN_TARGET and box["height"] >= MIN_TARGET
    button.click()
    page.wait_for_function("t => window.__spoken.some(u => u.text === t)", arg=paragraphs[-1])
    assert spoken(page) == [SEED_TITLE, *paragraphs]
    assert page.evaluate("window.__spoken.every(u => u.lang === 'zh-CN')")
    expect(button).to_have_text("朗读全文")  # back to the start once the article is read

    page.evaluate("window.__autoEnd = false; window.__spoken = []")
    button.click()
    stop = page.get_by_role("button", name="停止朗读")
    expect(stop).to_be_visible()
    assert spoken(page) == [SEED_TITLE]
    cancels = page.evaluate("window.__cancels")
    stop.click()
    assert page.evaluate("window.__cancels") > cancels
    expect(page.get_by_role("button", name="朗读全文")).to_be_visible()
    assert traffic.errors == []


def test_elder_font_size_buttons_and_print(page: Page, demo_server: str, article_path: str) -> None:
    _goto(page, demo_server, article_path, "article", 1280)
    group = page.get_by_role("group", name="字号")
    body = page.locator("#article-body p").first
    size = "e => parseFloat(getComputedStyle(e).fontSize)"
    sizes = {}
    for name in ("大", "中", "小"):
        button = group.get_by_role("button", name=name, exact=True)
        box = button.bounding_box()
        assert box["width"] >= MIN_TARGET and box["height"] >= MIN_TARGET, (name, box)
        button.click()
        sizes[name] = body.evaluate(size)
    assert sizes["大"] > sizes["中"] > sizes["小"] >= MIN_TEXT[1280], sizes

    page.emulate_media(media="print")
    for chrome in (".site-nav", ".topbar", ".org-directory", ".breadcrumbs", ".article-tools", ".prev-next"):
        assert page.locator(chrome).evaluate("e => getComputedStyle(e).display") == "none", chrome
    expect(page.locator(".article-title")).to_be_visible()
    # Printed large, black on white: 16 pt body text whatever 字号 was chosen on screen.
    assert body.evaluate(size) == pytest.approx(16 * 4 / 3, abs=0.1)
    assert body.evaluate("e => getComputedStyle(e).color") == "rgb(0, 0, 0)"
    page.emulate_media(media="screen")
    assert body.evaluate(size) == sizes["小"]
