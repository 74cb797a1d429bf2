"""办事指南 as published (static files): axe clean in both versions and on a phone, no foreign request;
the 办事服务 column's 按事项名称查找 filters its list."""

import pytest
from playwright.sync_api import Page, expect

from .support import Traffic, describe_violations, run_axe

GUIDE = "/zwfw/bszn/gxjsqy-rd/"
COLUMN = "/zwfw/bszn/"


@pytest.mark.parametrize("width", [1280, 375])
def test_guide_and_its_column_pass_axe(page: Page, demo_server: str, traffic: Traffic, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    for version in ("", "/elder"):
        for path, name in ((GUIDE, "办事指南"), (COLUMN, "按事项名称查找")):
            response = page.goto(demo_server + version + path)
            assert response is not None and response.status == 200, version + path
            expect(page.get_by_text(name, exact=True).first).to_be_visible()
            violations = run_axe(page)
            assert not violations, f"{version + path} at {width}px: {describe_violations(violations)}"
            assert page.evaluate("document.scrollingElement.scrollWidth") <= width, version + path
    assert traffic.errors == [] and traffic.foreign() == []


def test_column_filter_finds_guides_by_name(page: Page, demo_server: str) -> None:
    page.goto(demo_server + COLUMN)
    links = page.locator("#page-list li")
    expect(links).to_have_count(5)
    page.get_by_label("按事项名称查找").fill("技术")
    expect(page.locator("#page-list li:visible")).to_have_count(2)  # 高新技术企业认定, 技术合同认定登记
    expect(page.get_by_text("找到 2 项")).to_be_visible()
    page.get_by_label("按事项名称查找").fill("")
    expect(page.locator("#page-list li:visible")).to_have_count(5)
