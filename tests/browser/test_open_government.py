"""政务公开 public pages (docs/open-government.md): the 公开目录, a category listing and a policy with
its metadata table and 政策解读, in both versions: axe finds nothing and no request leaves the host."""

import re
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from .support import Traffic, describe_violations, run_axe

CATALOGUE = "/zwgk/gkml/"
POLICY_NUMBER = "内科发〔2025〕3号"  # with its 图解 (demo/data/open_government.py)


def catalogue_links(base_url: str) -> tuple[str, str]:
    """A 主题分类 listing and the policy's page, as a reader finds them in the catalogue."""
    with urllib.request.urlopen(base_url + CATALOGUE, timeout=10) as response:
        html = response.read().decode("utf-8")
    category = re.search(r'href="(/zwgk/gkml/zt/\d+/)"', html)
    policy = re.search(
        r'<tr>\s*<td>[^<]*</td>\s*<td><a href="([^"]+)"[^<]*</a>.*?</td>\s*<td>' + POLICY_NUMBER, html
    )
    assert category and policy, "catalogue links not found"
    return category.group(1), policy.group(1)


@pytest.mark.parametrize("version", ["", "/elder"], ids=["standard", "elder"])
def test_open_government_pages_pass_axe_and_stay_on_the_host(
    page: Page, demo_server: str, traffic: Traffic, version: str
) -> None:
    category, policy = catalogue_links(demo_server)
    for path in (CATALOGUE, category, policy):
        response = page.goto(demo_server + version + path)
        assert response is not None and response.status == 200, path
        if path == policy:
            expect(page.locator("table.catalogue-metadata")).to_be_visible()
            expect(page.locator("section.policy-interpretations").get_by_role("link")).to_have_count(1)
        else:
            expect(page.locator("table.catalogue-list tbody tr").first).to_be_visible()
        violations = run_axe(page)
        assert not violations, f"{version}{path}: {describe_violations(violations)}"
    assert traffic.errors == []
    assert traffic.foreign() == []
