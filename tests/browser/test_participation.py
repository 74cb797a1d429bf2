"""征集, 调查 and 在线访谈 as published (static files): axe clean in both versions, no foreign request."""

from playwright.sync_api import Page, expect

from .support import Traffic, describe_violations, run_axe

PAGES = {
    "solicitation": ("/hdjl/zjdc/kjcgzh-zqyj/", "意见采纳情况"),
    "survey": ("/hdjl/zjdc/kjfw-dc/", "调查结果"),
    "interview": ("/hdjl/zxft/kjcgzh-ft/", "文字实录"),
}


def test_participation_pages_pass_axe(page: Page, demo_server: str, traffic: Traffic) -> None:
    for version in ("", "/elder"):
        for name, (path, heading) in PAGES.items():
            response = page.goto(demo_server + version + path)
            assert response is not None and response.status == 200, version + path
            expect(page.get_by_role("heading", name=heading)).to_be_visible()
            violations = run_axe(page)
            assert not violations, f"{version + path} ({name}): {describe_violations(violations)}"
    assert traffic.errors == [] and traffic.foreign() == []
