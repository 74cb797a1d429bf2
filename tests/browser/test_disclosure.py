"""依申请公开 public pages (docs/disclosure.md) in both versions: the application form, the form
re-shown with its errors, the lookup form and a lookup's result pass axe with 0 violations, and no
request leaves the host."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from .support import Traffic, describe_violations, run_axe

# The demo's replied case (govsite.disclosure.demo: YSQ-<year>-900001, query code DEMO2345ABCD).
DEMO_CASE = f"YSQ-{dt.date.today().year}-900001"
DEMO_CODE = "DEMO2345ABCD"


def assert_axe_clean(page: Page, what: str) -> None:
    violations = run_axe(page)
    assert not violations, f"{what}: {describe_violations(violations)}"


@pytest.mark.parametrize("version", ["", "/elder"], ids=["standard", "elder"])
def test_disclosure_pages_pass_axe_and_stay_on_the_host(
    page: Page, demo_server: str, traffic: Traffic, version: str
) -> None:
    response = page.goto(f"{demo_server}{version}/yisqgk/")
    assert response is not None and response.status == 200
    assert_axe_clean(page, "application form")

    page.locator("[name=name]").fill("张三")
    page.locator("[name=phone]").fill("12345")
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("[name=name]")).to_have_value("张三")  # typed text kept
    assert_axe_clean(page, "application form with errors")

    page.goto(f"{demo_server}{version}/yisqgk/cx/")
    assert_axe_clean(page, "lookup form")
    page.locator("[name=number]").fill(DEMO_CASE)
    page.locator("[name=code]").fill(DEMO_CODE)
    page.get_by_role("button", name="查询").click()
    expect(page.locator("section.case-status")).to_contain_text("已答复")
    assert_axe_clean(page, "lookup result")

    # The form with errors is answered 400 (as it should be); the browser reports that, nothing else.
    rejected = "console: Failed to load resource: the server responded with a status of 400 (Bad Request)"
    assert [e for e in traffic.errors if e != f"{rejected} @ {demo_server}{version}/yisqgk/"] == []
    assert traffic.foreign() == []
