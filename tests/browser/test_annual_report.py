"""The published 政府信息公开年报 (docs/annual-report.md) in both versions: its tables are there with
their captions, axe finds nothing and no request leaves the host."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from .support import Traffic, describe_violations, run_axe


@pytest.mark.parametrize("version", ["", "/elder"], ids=["standard", "elder"])
def test_annual_report_passes_axe(page: Page, demo_server: str, traffic: Traffic, version: str) -> None:
    path = f"/zwgk/gknb/{dt.date.today().year - 1}/"  # the demo publishes last year's report
    response = page.goto(demo_server + version + path)
    assert response is not None and response.status == 200, path
    expect(page.get_by_role("table", name="收到和处理政府信息公开申请情况")).to_be_visible()
    expect(page.locator("table.annual-report-grid")).to_have_count(6)
    violations = run_axe(page)
    assert not violations, f"{version}{path}: {describe_violations(violations)}"
    assert traffic.errors == []
    assert traffic.foreign() == []
