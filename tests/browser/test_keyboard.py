"""Keyboard alone: header, navigation, the toolbar and the article, with focus always visible."""

import pytest
from playwright.sync_api import Page, expect

from .support import SEED_TITLE, SPEECH_STUB, Traffic, spoken

FOCUSED = """() => {
  const e = document.activeElement, s = getComputedStyle(e), r = e.getBoundingClientRect();
  const visible = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none';
  const onScreen = r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight
    && r.right > 0 && r.left < innerWidth;
  const name = (e.getAttribute('aria-label') || e.textContent || e.value || '').replace(/\\s+/g, ' ').trim();
  const sticky = document.querySelector('.a11y-bar'), caption = document.querySelector('.a11y-caption');
  const under = (sticky && getComputedStyle(sticky).position === 'sticky' && !sticky.contains(e)
    && r.top < sticky.getBoundingClientRect().bottom - 1)
    || (caption && caption.getClientRects().length && r.bottom > caption.getBoundingClientRect().top + 1);
  return { tag: e.tagName, name: name.slice(0, 40), visible, onScreen, obscured: !!under,
           where: e.closest('header, main, footer, .a11y-bar, .a11y-help')?.className || e.tagName };
}"""


def _tab(page: Page, key: str = "Tab") -> dict:
    page.keyboard.press(key)
    return page.evaluate(FOCUSED)


def _assert_visible(stop: dict) -> None:
    assert stop["visible"], f"no visible focus indicator: {stop}"
    assert stop["onScreen"], f"focused element off screen: {stop}"
    assert not stop["obscured"], f"focused element hidden under the toolbar: {stop}"


def _tab_to(page: Page, name: str, limit: int = 80) -> list[dict]:
    """Tab until the element called `name` has focus; every stop on the way must show its focus."""
    stops = []
    for _ in range(limit):
        stop = _tab(page)
        _assert_visible(stop)
        stops.append(stop)
        if stop["name"] == name:
            return stops
    raise AssertionError(f"never reached {name!r}: {[s['name'] for s in stops]}")


@pytest.mark.parametrize("version", ["", "/elder"], ids=["standard", "elder"])
def test_keyboard_walk_through_header_toolbar_navigation_and_article(
    page: Page, demo_server: str, article_path: str, traffic: Traffic, version: str
) -> None:
    page.add_init_script(SPEECH_STUB)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(demo_server + version + article_path)
    page.wait_for_load_state("networkidle")

    # Header: skip link first, then the portal links, the version switch and 无障碍浏览.
    stops = _tab_to(page, "无障碍浏览")
    names = [s["name"] for s in stops]
    assert names[0] == "跳到主要内容"
    assert ("退出长辈版" if version else "长辈版") in names
    page.keyboard.press("Enter")
    toolbar = page.get_by_role("toolbar", name="无障碍工具条")
    expect(toolbar).to_be_visible()
    expect(toolbar.get_by_role("button", name="声音")).to_be_focused()

    # Inside the toolbar: arrow keys move along it, Home/End jump, Space and Enter press.
    assert _tab(page, "ArrowRight")["name"] == "指读"
    assert _tab(page, "End")["name"] == "关闭工具条"
    assert _tab(page, "Home")["name"] == "声音"
    page.keyboard.press("Space")
    expect(toolbar.get_by_role("button", name="声音")).to_have_attribute("aria-pressed", "true")
    controls = [page.evaluate(FOCUSED)]
    while controls[-1]["name"] != "关闭工具条":  # Tab reaches every control, each visibly focused
        controls.append(_tab(page))
        _assert_visible(controls[-1])
        assert len(controls) < 30
    tabbed = [c["name"] for c in controls]
    for name in (
        "声音",
        "指读",
        "连读",
        "放大",
        "大鼠标",
        "十字线",
        "阅读线",
        "大字幕",
        "纯文本",
        "重置",
        "帮助",
    ):
        assert name in tabbed, (name, tabbed)
    assert any(c["tag"] == "SELECT" for c in controls)

    # A select is changed from the keyboard, and focus is read aloud (声音 is on).
    scheme = toolbar.get_by_label("配色")
    scheme.focus()
    page.keyboard.press("ArrowDown")
    expect(page.locator("html")).to_have_attribute("data-a11y-scheme", "black-yellow")
    assert spoken(page)[-1].startswith("配色")
    page.keyboard.press("ArrowUp")
    expect(page.locator("html")).not_to_have_attribute("data-a11y-scheme", "black-yellow")
    big_text = toolbar.get_by_role("button", name="大字幕")
    big_text.focus()
    page.keyboard.press("Enter")
    expect(big_text).to_have_attribute("aria-pressed", "true")
    help_button = toolbar.get_by_role("button", name="帮助")
    help_button.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("region", name="无障碍工具条帮助")).to_be_visible()
    page.keyboard.press("Escape")
    expect(help_button).to_be_focused()

    # On through the header into the main navigation, then the article's own controls.
    stops = _tab_to(page, "网站首页")
    stops += _tab_to(page, "科技动态")
    assert any(s["name"] == "长辈版" or s["name"] == "退出长辈版" for s in stops)
    stops = _tab_to(page, "大")
    assert stops[-1]["where"] != "" and spoken(page)[-1] == "按钮：大"
    page.keyboard.press("Enter")
    expect(page.locator(".article")).to_have_class("article font-large")
    _tab_to(page, "朗读全文")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="停止朗读")).to_be_focused()
    assert SEED_TITLE in spoken(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="朗读全文")).to_be_focused()
    stops = _tab_to(page, "打印本页")
    # …and on to the end of the page without a trap: 上一篇/下一篇 and the footer.
    stops = _tab_to(page, "网站地图", limit=40)
    assert any(s["name"].startswith("中小企业") for s in stops)
    assert stops[-1]["where"].startswith("site-footer") or stops[-1]["where"] == "A"
    assert traffic.errors == []
