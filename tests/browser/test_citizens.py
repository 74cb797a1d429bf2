"""axe on the 找错 form and the 登录/注册 pages, in both versions, empty and with errors shown."""

from playwright.sync_api import Page, expect

from .support import Traffic, describe_violations, run_axe

PAGES = {"/zhaocuo/?url=/": "提交", "/zhanghu/denglu/": "登录", "/zhanghu/zhuce/": "注册"}


def test_citizen_forms_pass_axe_in_both_versions(page: Page, demo_server: str, traffic: Traffic) -> None:
    for version in ("", "/elder"):
        for path, button in PAGES.items():
            response = page.goto(demo_server + version + path)
            assert response is not None and response.status == 200, version + path
            violations = run_axe(page)
            assert not violations, f"{version}{path}: {describe_violations(violations)}"
            # Submitted empty, without JavaScript help: the errors sit next to the fields and pass too.
            page.get_by_role("main").get_by_role("button", name=button, exact=True).click()
            expect(page.locator(".errorlist").first).to_be_visible()
            violations = run_axe(page)
            assert not violations, f"{version}{path} with errors: {describe_violations(violations)}"
    # A form sent with errors answers 400, which Chromium reports as a failed load: expected here.
    assert [e for e in traffic.errors if "status of 400" not in e] == []
    assert traffic.foreign() == []
