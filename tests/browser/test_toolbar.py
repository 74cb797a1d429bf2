"""The 无障碍 toolbar (§7 of the requirements): one test per function, proving its effect and that it
survives a reload. Speech is the browser's own speechSynthesis, replaced here by a recorder."""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from .support import SEED_TITLE, SPEECH_STUB, Traffic, describe_violations, run_axe, spoken

ROOT_FONT = "() => parseFloat(getComputedStyle(document.documentElement).fontSize)"
SCHEMES = {  # label: (background, text)
    "黑底黄字": ("rgb(0, 0, 0)", "rgb(255, 255, 0)"),
    "黑底白字": ("rgb(0, 0, 0)", "rgb(255, 255, 255)"),
    "蓝底白字": ("rgb(0, 45, 114)", "rgb(255, 255, 255)"),
    "黄底黑字": ("rgb(255, 255, 0)", "rgb(0, 0, 0)"),
}


@pytest.fixture
def speech(page: Page) -> Page:
    page.add_init_script(SPEECH_STUB)
    return page


def _toolbar(page: Page) -> Locator:
    return page.get_by_role("toolbar", name="无障碍工具条")


def _open(page: Page, url: str) -> Locator:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.locator("header").get_by_role("button", name="无障碍浏览").click()
    toolbar = _toolbar(page)
    expect(toolbar).to_be_visible()
    return toolbar


def _button(toolbar: Locator, name: str) -> Locator:
    return toolbar.get_by_role("button", name=name, exact=True)


def _turn_on(toolbar: Locator, name: str) -> None:
    button = _button(toolbar, name)
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")


def _status(page: Page) -> Locator:
    return page.locator(".a11y-bar").get_by_role("status")


def _luminance(rgb: str) -> float:
    channels = [int(c) / 255 for c in re.findall(r"\d+", rgb)[:3]]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _toolbar_files(traffic: Traffic) -> list[str]:
    return [r.url for r in traffic.requests if "/static/versions/" in r.url]


def test_loaded_on_demand_and_reopened_on_the_next_page(
    page: Page, demo_server: str, article_path: str, traffic: Traffic
) -> None:
    page.goto(demo_server + article_path)
    page.wait_for_load_state("networkidle")
    toggle = page.locator("header").get_by_role("button", name="无障碍浏览")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    assert _toolbar_files(traffic) == [], "the toolbar must not load with the page"
    assert page.evaluate("typeof window.govsiteToolbar") == "undefined"

    toggle.click()
    expect(_toolbar(page)).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(_button(_toolbar(page), "声音")).to_be_focused()  # the reader who opened it is taken there
    loaded = _toolbar_files(traffic)
    assert any(re.search(r"/toolbar(\.\w+)?\.js$", u) for u in loaded), loaded
    assert any(re.search(r"/toolbar(\.\w+)?\.css$", u) for u in loaded), loaded
    assert not any("pinyin" in u for u in loaded), "the pinyin table loads only with 大字幕"

    # Left open, it comes back on the next page by itself (without taking the focus).
    page.get_by_role("navigation", name="当前位置").get_by_role("link", name="媒体聚焦").click()
    expect(page.locator("h1")).to_have_text("媒体聚焦")
    expect(_toolbar(page)).to_be_visible()
    expect(page.locator("header").get_by_role("button", name="无障碍浏览")).to_have_attribute(
        "aria-expanded", "true"
    )
    assert page.evaluate("document.activeElement === document.body")

    # Closed, it stays closed, and the next page does not even download it.
    _button(_toolbar(page), "关闭工具条").click()
    expect(page.locator(".a11y-bar")).to_be_hidden()
    expect(page.locator("header").get_by_role("button", name="无障碍浏览")).to_be_focused()
    before = len(_toolbar_files(traffic))
    page.reload()
    page.wait_for_load_state("networkidle")
    assert len(_toolbar_files(traffic)) == before
    assert traffic.foreign() == [] and traffic.errors == []


def test_sound_reads_what_is_pointed_at_or_focused(
    speech: Page, demo_server: str, article_path: str, traffic: Traffic
) -> None:
    page = speech
    toolbar = _open(page, demo_server + article_path)
    _turn_on(toolbar, "声音")
    expect(_status(page)).to_have_text("声音已开启")
    expect(_button(toolbar, "指读")).to_have_attribute("aria-pressed", "true")  # the default mode

    paragraph = page.locator("#article-body p").nth(1)
    paragraph.hover()
    text = paragraph.inner_text().strip()
    page.wait_for_function("t => window.__spoken.some(u => u.text === t)", arg=text)
    last = page.evaluate("window.__spoken.at(-1)")
    assert last == {"text": text, "rate": 1, "lang": "zh-CN"}, last

    # Focus is read too, with what kind of thing it is.
    page.get_by_role("navigation", name="当前位置").get_by_role("link", name="媒体聚焦").focus()
    assert spoken(page)[-1] == "链接：媒体聚焦"
    page.locator("h1").hover()
    page.wait_for_function("() => window.__spoken.at(-1).text.startsWith('标题：')")
    assert spoken(page)[-1] == "标题：" + SEED_TITLE

    # 语速: the next utterance uses the new rate.
    toolbar.get_by_label("语速").select_option("1.5")
    page.locator("#article-body p").nth(2).hover()
    page.wait_for_function("() => window.__spoken.at(-1).rate === 1.5")
    page.reload()  # the rate and the sound setting survive a reload
    expect(_button(_toolbar(page), "声音")).to_have_attribute("aria-pressed", "true")
    expect(_toolbar(page).get_by_label("语速")).to_have_value("1.5")

    # Off: speech stops and nothing more is read.
    _button(_toolbar(page), "声音").click()
    expect(_button(_toolbar(page), "声音")).to_have_attribute("aria-pressed", "false")
    count = len(spoken(page))
    page.locator("#article-body p").nth(3).hover()
    page.wait_for_timeout(500)
    assert len(spoken(page)) == count
    assert page.evaluate("window.__cancels") > 0
    assert traffic.errors == []


def test_continuous_reading_reads_on_from_here(
    speech: Page, demo_server: str, article_path: str, traffic: Traffic
) -> None:
    page = speech
    toolbar = _open(page, demo_server + article_path)
    page.evaluate("window.__autoEnd = true")
    _turn_on(toolbar, "声音")
    paragraphs = [t.strip() for t in page.locator("#article-body p").all_inner_texts() if t.strip()]

    # 连读 from the toolbar: the page is read from the start of the content, block after block.
    _turn_on(toolbar, "连读")
    expect(_button(toolbar, "指读")).to_have_attribute("aria-pressed", "false")
    page.wait_for_function("t => window.__spoken.some(u => u.text === t)", arg=paragraphs[-1])
    said = spoken(page)
    start = said.index("标题：" + SEED_TITLE)
    body = [t for t in said[start:] if t in paragraphs]
    assert body[: len(paragraphs)] == paragraphs, "the article was not read in order"

    # Pointing at a paragraph reads on from that paragraph.
    expect(page.locator(".a11y-reading")).to_have_count(0)  # the first reading reached the end of the page
    page.evaluate("window.__spoken = []")
    page.locator("#article-body p").nth(3).hover()
    page.wait_for_function("t => window.__spoken.some(u => u.text === t)", arg=paragraphs[5])
    assert spoken(page)[:3] == paragraphs[3:6]
    # While reading, the block being read is outlined; Esc stops.
    page.evaluate("window.__autoEnd = false")
    page.locator("#article-body p").nth(1).hover()
    expect(page.locator(".a11y-reading")).to_have_count(1)
    cancels = page.evaluate("window.__cancels")
    page.keyboard.press("Escape")
    expect(page.locator(".a11y-reading")).to_have_count(0)
    assert page.evaluate("window.__cancels") > cancels
    page.reload()
    expect(_button(_toolbar(page), "连读")).to_have_attribute("aria-pressed", "true")
    assert traffic.errors == []


def test_zoom_in_and_out_to_200_percent_without_horizontal_scrolling(
    page: Page, demo_server: str, article_path: str, traffic: Traffic
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    toolbar = _open(page, demo_server + article_path)
    base = page.evaluate(ROOT_FONT)
    body = page.locator("#article-body p").first
    body_base = body.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    for _ in range(12):  # past the top: it stops at 200 %
        bigger = _button(toolbar, "放大")
        if bigger.is_disabled():
            break
        bigger.click()
    expect(_button(toolbar, "放大")).to_be_disabled()
    expect(_status(page)).to_have_text("文字大小 200%")
    assert page.evaluate(ROOT_FONT) == pytest.approx(2 * base)
    assert body.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") == pytest.approx(2 * body_base)
    # WCAG 1.4.4: text at 200 % with nothing lost: no sideways scrolling, no clipped text.
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 1280
    page.reload()
    assert page.evaluate(ROOT_FONT) == pytest.approx(2 * base)
    _button(_toolbar(page), "缩小").click()
    assert page.evaluate(ROOT_FONT) == pytest.approx(1.9 * base)
    page.keyboard.press("Alt+Shift+Minus")
    assert page.evaluate(ROOT_FONT) == pytest.approx(1.8 * base)
    assert traffic.errors == []


@pytest.mark.parametrize("version", ["", "/elder"], ids=["standard", "elder"])
def test_four_high_contrast_schemes(
    page: Page, demo_server: str, article_path: str, traffic: Traffic, version: str
) -> None:
    toolbar = _open(page, demo_server + version + article_path)
    scheme = toolbar.get_by_label("配色")
    options = scheme.locator("option").all_inner_texts()
    assert options == ["标准配色", *SCHEMES], options
    for label, (background, text) in SCHEMES.items():
        scheme.select_option(label=label)
        expect(page.locator("html")).to_have_attribute("data-a11y-scheme", re.compile("."))
        for selector in ("body", "#article-body p", ".site-nav a", ".breadcrumbs a", "footer p"):
            colours = page.locator(selector).first.evaluate(
                "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]"
            )
            assert colours == [background, text], (label, selector, colours)
        assert _contrast(background, text) >= 7, label
        violations = run_axe(page)
        assert not violations, f"{label}: {describe_violations(violations)}"
    # On paper it is black on white whatever the screen scheme.
    page.emulate_media(media="print")
    assert page.locator("#article-body p").first.evaluate("e => getComputedStyle(e).color") == "rgb(0, 0, 0)"
    page.emulate_media(media="screen")
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-a11y-scheme", "yellow-black")
    expect(_toolbar(page).get_by_label("配色")).to_have_value("yellow-black")
    page.keyboard.press("Alt+Shift+C")  # the shortcut goes round the schemes, back to 标准
    expect(page.locator("html")).not_to_have_attribute("data-a11y-scheme", re.compile("."))
    assert traffic.errors == []


def test_big_cursor(page: Page, demo_server: str, article_path: str, traffic: Traffic) -> None:
    toolbar = _open(page, demo_server + article_path)
    cursor = "e => getComputedStyle(e).cursor"
    paragraph, link = page.locator("#article-body p").first, page.locator(".site-nav a").first
    assert paragraph.evaluate(cursor) == "auto"
    _turn_on(toolbar, "大鼠标")
    assert re.search(r'url\(".*/cursor(\.\w+)?\.svg"\) 4 2, auto', paragraph.evaluate(cursor))
    assert re.search(r'url\(".*/cursor-link(\.\w+)?\.svg"\) 18 2, pointer', link.evaluate(cursor))
    svg = page.request.get(re.search(r'url\("(.*?)"\)', paragraph.evaluate(cursor)).group(1))
    assert svg.ok and svg.headers["content-type"].startswith("image/svg+xml")
    assert 'width="48"' in svg.text()
    page.reload()
    assert re.search(r"/cursor(\.\w+)?\.svg", paragraph.evaluate(cursor))
    _button(_toolbar(page), "大鼠标").click()
    assert paragraph.evaluate(cursor) == "auto"
    assert traffic.errors == []


def test_crosshair_and_reading_guide_follow_pointer_and_focus(
    page: Page, demo_server: str, article_path: str, traffic: Traffic
) -> None:
    toolbar = _open(page, demo_server + article_path)
    horizontal, vertical, guide = (
        page.locator(".a11y-cross-h"),
        page.locator(".a11y-cross-v"),
        page.locator(".a11y-guide"),
    )
    expect(horizontal).to_be_hidden()
    _turn_on(toolbar, "十字线")
    page.mouse.move(400, 500)
    expect(horizontal).to_be_visible()
    assert horizontal.bounding_box()["y"] == 500 and horizontal.bounding_box()["width"] >= 1200
    assert vertical.bounding_box()["x"] == 400
    assert vertical.bounding_box()["height"] == page.viewport_size["height"]
    _turn_on(toolbar, "阅读线")
    page.mouse.move(300, 420)
    box = guide.bounding_box()
    assert box["y"] < 420 < box["y"] + box["height"] and box["width"] >= 1200, box
    # Purely visual: hidden from screen readers, and the pointer clicks through them.
    for overlay in (horizontal, vertical, guide):
        expect(overlay).to_have_attribute("aria-hidden", "true")
    assert page.evaluate("document.elementFromPoint(300, 420).closest('.a11y-guide, .a11y-cross') === null")
    # Keyboard users: the lines move to what has focus.
    link = page.get_by_role("navigation", name="当前位置").get_by_role("link", name="媒体聚焦")
    link.focus()
    target = link.bounding_box()
    y = horizontal.bounding_box()["y"]
    assert target["y"] <= y <= target["y"] + target["height"]
    page.reload()
    expect(page.locator(".a11y-cross-h")).to_be_attached()
    expect(_button(_toolbar(page), "十字线")).to_have_attribute("aria-pressed", "true")
    expect(_button(_toolbar(page), "阅读线")).to_have_attribute("aria-pressed", "true")
    page.mouse.move(200, 300)
    expect(page.locator(".a11y-cross-h")).to_be_visible()
    expect(page.locator(".a11y-guide")).to_be_visible()
    assert traffic.errors == []


def test_big_caption_shows_pointed_text_with_pinyin(
    page: Page, demo_server: str, article_path: str, traffic: Traffic
) -> None:
    toolbar = _open(page, demo_server + article_path)
    caption = page.locator(".a11y-caption")
    expect(caption).to_be_hidden()
    _turn_on(toolbar, "大字幕")
    expect(caption).to_be_visible()
    expect(caption).to_have_attribute("aria-hidden", "true")
    page.wait_for_function("() => typeof window.govsitePinyin === 'string'")
    assert [u for u in _toolbar_files(traffic) if "pinyin" in u], "pinyin.js was not loaded"

    page.locator("h1").hover()
    base_text = (  # the caption's text without the pinyin above it
        "e => [...e.childNodes].map(n => n.nodeName === 'RUBY' ? n.firstChild.textContent : n.textContent)"
        ".join('')"
    )
    page.wait_for_function(f"() => ({base_text})(document.querySelector('.a11y-caption')).includes('试验田')")
    assert caption.evaluate(base_text) == SEED_TITLE
    rubies = caption.locator("ruby")
    expect(rubies.first).to_have_text("当dāng")  # the character and its reading above it
    assert rubies.count() >= 20
    readings = caption.locator("rt").all_inner_texts()
    assert readings[:2] == ["dāng", "hǎo"], readings
    assert caption.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 32
    # The page keeps room for it: the last line of the page can be scrolled above the caption.
    padding = page.evaluate("parseFloat(getComputedStyle(document.body).paddingBottom)")
    assert padding >= caption.bounding_box()["height"] - 1

    link = page.get_by_role("navigation", name="当前位置").get_by_role("link", name="媒体聚焦")
    link.focus()
    expect(caption.locator("rt")).to_have_text(["méi", "tǐ", "jù", "jiāo"])
    assert caption.evaluate(base_text) == "媒体聚焦"
    page.reload()
    expect(page.locator(".a11y-caption")).to_be_visible()
    assert traffic.foreign() == [] and traffic.errors == []


def test_plain_text_view(page: Page, demo_server: str, article_path: str, traffic: Traffic) -> None:
    toolbar = _open(page, demo_server + article_path)
    active = (
        "() => [...document.styleSheets].filter(s => !s.disabled && s.href).map(s => s.href.split('/').pop())"
    )
    assert any(name.startswith("site") for name in page.evaluate(active))
    _turn_on(toolbar, "纯文本")
    sheets = page.evaluate(active)
    assert len(sheets) == 1 and sheets[0].startswith("toolbar"), sheets
    expect(page.locator("html")).to_have_class(re.compile(r"\ba11y-plain\b"))
    assert (
        page.locator(".site-nav").evaluate("e => getComputedStyle(e).backgroundColor") == "rgba(0, 0, 0, 0)"
    )
    for image in page.locator("img, svg").all():
        assert image.evaluate("e => getComputedStyle(e).display") == "none"
    expect(page.locator("#article-body p").first).to_be_visible()
    expect(page.get_by_role("navigation", name="栏目导航")).to_be_visible()
    page.reload()
    assert len(page.evaluate(active)) == 1
    _button(_toolbar(page), "纯文本").click()
    assert any(name.startswith("site") for name in page.evaluate(active))
    assert traffic.errors == []


def test_reset_and_settings_survive_reload_and_navigation(
    page: Page, demo_server: str, article_path: str, traffic: Traffic
) -> None:
    toolbar = _open(page, demo_server + article_path)
    base = page.evaluate(ROOT_FONT)
    for name in ("声音", "大鼠标", "十字线", "阅读线", "大字幕"):
        _turn_on(toolbar, name)
    _button(toolbar, "放大").click()
    toolbar.get_by_label("配色").select_option(label="黑底白字")

    def check(on: bool) -> None:
        tb = _toolbar(page)
        for name in ("声音", "大鼠标", "十字线", "阅读线", "大字幕"):
            expect(_button(tb, name)).to_have_attribute("aria-pressed", str(on).lower())
        assert page.evaluate(ROOT_FONT) == pytest.approx(base * (1.1 if on else 1))
        if on:
            expect(page.locator("html")).to_have_attribute("data-a11y-scheme", "black-white")
            expect(page.locator("html")).to_have_class(re.compile(r"\ba11y-cursor\b"))
        else:
            expect(page.locator("html")).not_to_have_attribute("data-a11y-scheme", re.compile("."))
            expect(page.locator("html")).not_to_have_class(re.compile(r"\ba11y-cursor\b"))

    check(True)
    page.reload()
    check(True)
    page.get_by_role("navigation", name="栏目导航").get_by_role("link", name="网站首页").click()
    expect(page).to_have_url(demo_server + "/")
    check(True)
    _button(_toolbar(page), "重置").click()
    expect(_status(page)).to_have_text("已恢复默认设置")
    check(False)
    page.reload()
    check(False)
    # Closing the toolbar puts the page back; opening it again restores the reader's settings.
    _turn_on(_toolbar(page), "大鼠标")
    _button(_toolbar(page), "关闭工具条").click()
    expect(page.locator("html")).not_to_have_class(re.compile(r"\ba11y-cursor\b"))
    page.locator("header").get_by_role("button", name="无障碍浏览").click()
    expect(page.locator("html")).to_have_class(re.compile(r"\ba11y-cursor\b"))
    assert traffic.errors == []


def test_help_lists_keyboard_shortcuts_and_shortcuts_work(
    page: Page, demo_server: str, article_path: str, traffic: Traffic
) -> None:
    page.goto(demo_server + article_path)
    page.wait_for_load_state("networkidle")
    page.keyboard.press("Alt+Shift+A")  # opens (and loads) the toolbar from anywhere on the page
    toolbar = _toolbar(page)
    expect(toolbar).to_be_visible()
    help_button = _button(toolbar, "帮助")
    help_button.click()
    expect(help_button).to_have_attribute("aria-expanded", "true")
    panel = page.get_by_role("region", name="无障碍工具条帮助")
    expect(panel).to_be_visible()
    keys = panel.locator("dt").all_inner_texts()
    for key in [*(f"Alt+Shift+{k}" for k in "ASRCMXLBT0H"), "Esc"]:
        assert key in keys, key
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(help_button).to_be_focused()
    expect(help_button).to_have_attribute("aria-expanded", "false")

    for key, name in (("KeyS", "声音"), ("KeyM", "大鼠标"), ("KeyX", "十字线"), ("KeyL", "阅读线"),
                      ("KeyB", "大字幕"), ("KeyT", "纯文本")):  # fmt: skip
        page.keyboard.press(f"Alt+Shift+{key.removeprefix('Key')}")
        expect(_button(toolbar, name)).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Alt+Shift+R")
    expect(_button(toolbar, "连读")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Alt+Shift+Equal")
    expect(_status(page)).to_have_text("文字大小 110%")
    page.keyboard.press("Alt+Shift+Digit0")
    expect(toolbar.locator("[aria-pressed='true']")).to_have_count(1)  # only 指读, the default mode
    expect(_button(toolbar, "指读")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Alt+Shift+A")
    expect(page.locator(".a11y-bar")).to_be_hidden()
    assert traffic.errors == []


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("version", ["", "/elder"], ids=["standard", "elder"])
def test_toolbar_with_everything_on_is_accessible(
    speech: Page, demo_server: str, article_path: str, traffic: Traffic, version: str, width: int
) -> None:
    page = speech
    page.set_viewport_size({"width": width, "height": 900})
    toolbar = _open(page, demo_server + version + article_path)
    for name in ("声音", "大鼠标", "十字线", "阅读线", "大字幕", "帮助"):
        _button(toolbar, name).click()
    page.locator("#article-body p").first.hover()
    violations = run_axe(page)
    assert not violations, describe_violations(violations)
    # Every control is a real button or a labelled select, at least 24 px (WCAG 2.5.8), 60 px in the 长辈版.
    smallest = 60 if version else 24
    for control in toolbar.locator("button, select").all():
        box = control.bounding_box()
        assert box["width"] >= smallest and box["height"] >= smallest, (control.inner_text(), box)
    # On a phone it is not sticky (it would cover the page), and it causes no sideways scrolling.
    position = page.locator(".a11y-bar").evaluate("e => getComputedStyle(e).position")
    assert position == ("sticky" if width > 760 else "static")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    assert traffic.foreign() == [] and traffic.errors == []
