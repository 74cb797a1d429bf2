"""The Wagtail admin works under ADMIN_CONTENT_SECURITY_POLICY: Chromium reports no CSP violation.

If a Wagtail upgrade starts to need more (eval, a third-party host), this test names the directive.
"""

import json
import re
import urllib.request

import pytest
from playwright.sync_api import BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError

from govsite.testing import log_in

pytestmark = pytest.mark.browser

SEED_COLUMN = "/kjdt/mtjj/"
RECORD_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.log("CSP-VIOLATION " + JSON.stringify({
    directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile, page: location.pathname,
  }));
});
"""


@pytest.fixture
def csp_log(context: BrowserContext) -> list[str]:
    """CSP violations (from the securitypolicyviolation event and Chromium's console) and JS errors."""
    problems: list[str] = []
    context.add_init_script(RECORD_VIOLATIONS)

    def on_console(message) -> None:
        text = message.text
        if text.startswith("CSP-VIOLATION "):
            problems.append(json.dumps(json.loads(text.removeprefix("CSP-VIOLATION ")), ensure_ascii=False))
        elif message.type == "error" and "Content Security Policy" in text:
            problems.append(text)

    context.on("console", on_console)
    context.on("weberror", lambda error: problems.append(f"page error: {error.error}"))
    return problems


def seed_article_id(base_url: str) -> int:
    with urllib.request.urlopen(base_url + SEED_COLUMN, timeout=10) as response:
        body = response.read().decode()
    match = re.search(r'href="/kjdt/mtjj/202103/t20210331_(\d+)\.html"', body)
    assert match, "seed article not listed in its column"
    return int(match[1])


def exercise_admin(page: Page, base_url: str) -> None:
    """Log in, open the page explorer and an article's edit view, use a chooser and the preview."""
    article_id = seed_article_id(base_url)
    log_in(page, base_url, "platform-admin")

    # The page explorer.
    page.goto(base_url + "/admin/pages/")
    page.get_by_role("link", name=re.compile("科学技术厅")).first.wait_for()

    # The edit view, with the preview panel: it frames the page (public policy, frame-ancestors
    # 'self' for the admin).
    page.goto(f"{base_url}/admin/pages/{article_id}/edit/")
    page.locator("[data-side-panel-toggle='preview']").first.click()
    preview = page.frame_locator("iframe[data-w-preview-target='iframe']").first
    preview.locator("h1").first.wait_for()

    # Draftail, and the image chooser modal it opens.
    page.locator(".public-DraftEditor-content").first.click()
    page.keyboard.type("内容安全策略")
    page.locator(".Draftail-BlockToolbar__trigger").first.click()
    page.locator("[role=option]:has-text('图片')").first.click()
    page.locator(".modal-content a.image-choice").first.wait_for()
    page.wait_for_timeout(1000)


def test_wagtail_admin_runs_without_csp_violations(page: Page, demo_server: str, csp_log: list[str]):
    try:
        exercise_admin(page, demo_server)
    except PlaywrightError:
        # A script the policy blocked is the likeliest reason the admin stopped working: say so.
        assert csp_log == [], "\n".join(csp_log)
        raise
    assert csp_log == [], "\n".join(csp_log)
