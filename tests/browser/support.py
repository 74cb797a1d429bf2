"""Helpers shared by the browser tests: axe-core, request recording, the seed article's address."""

from __future__ import annotations

import html.parser
import re
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import axe_playwright_python
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Request, expect

from govsite.testing import browser_log_in

SEED_COLUMN = "/kjdt/mtjj/"
SEED_TITLE = "当好“试验田”,走出新路子——张江示范区十年发展探索之路"

# axe-core as shipped inside the installed axe-playwright-python wheel (works offline).
AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def run_axe(page: Page) -> list[dict]:
    """Run axe-core on the page (WCAG 2.1 A/AA rules only) and return its violations.

    The script is evaluated through CDP, not added as a <script> tag: the site's CSP forbids
    inline scripts, and a test must not loosen the policy it is checking under.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "options => axe.run(document, options)", {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
    )
    return result["violations"]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:10]:
            lines.append(f"    {node['target']}  {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


class _LinkFinder(html.parser.HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text, self.href, self._current, self._buffer = text, None, None, []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._current, self._buffer = dict(attrs).get("href"), []

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._buffer.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._current is not None:
            if "".join(self._buffer).strip() == self.text and self.href is None:
                self.href = self._current
            self._current = None


def find_link(base_url: str, page_path: str, text: str) -> str:
    """The href of the first link on a page whose text is exactly `text`."""
    with urllib.request.urlopen(base_url + page_path, timeout=10) as response:
        finder = _LinkFinder(text)
        finder.feed(response.read().decode("utf-8"))
    assert finder.href, f"no link {text!r} on {page_path}"
    return finder.href


def admin_column_id(page: Page, article_href: str) -> str:
    """The admin id of the column holding a published article, read from the article editor's 面包屑.

    The article's address carries its id; its breadcrumbs are one chain of ancestors, so the parent
    column is the link before the article's own. A search by the column's title is ambiguous: every
    site and several sections have a 工作动态.
    """
    article_id = re.search(r"_(\d+)\.html$", article_href)[1]
    page.goto(f"/admin/pages/{article_id}/edit/")
    crumbs = page.get_by_role("navigation", name="面包屑导航").locator('a[href^="/admin/pages/"]')
    expect(crumbs.last).to_have_attribute("href", f"/admin/pages/{article_id}/")
    return re.fullmatch(r"/admin/pages/(\d+)/", crumbs.nth(-2).get_attribute("href") or "")[1]


@dataclass
class Traffic:
    """Every request a browser context makes, and every console error and page error."""

    origin: str
    requests: list[Request] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> Traffic:
        context.on("request", lambda request: self.requests.append(request))
        context.on("console", self._console)
        context.on("weberror", lambda e: self.errors.append(f"page error: {e.error}"))
        return self

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":  # CSP violations and failed loads are reported here
            self.errors.append(f"console: {message.text} @ {message.location.get('url')}")

    def foreign(self) -> list[str]:
        """Requests to anything but the server under test."""
        own = urlsplit(self.origin)
        return [
            r.url
            for r in self.requests
            if urlsplit(r.url).scheme not in ("data", "blob")
            and (urlsplit(r.url).scheme, urlsplit(r.url).netloc) != (own.scheme, own.netloc)
        ]


# The browser's speech synthesis, replaced by a recorder: headless Chromium has no voices, and a
# test must prove *what* would be spoken. Set window.__autoEnd = true to let each utterance "finish"
# at once (so 连读 moves on to the next block).
SPEECH_STUB = """
(() => {
  window.__spoken = []; window.__cancels = 0; window.__autoEnd = false;
  const fake = {
    speaking: false, pending: false, paused: false,
    speak(u) {
      window.__spoken.push({ text: u.text, rate: u.rate, lang: u.lang });
      if (window.__autoEnd) { setTimeout(() => u.onend && u.onend(new Event("end")), 0); }
    },
    cancel() { window.__cancels += 1; },
    pause() {}, resume() {}, getVoices() { return []; },
    addEventListener() {}, removeEventListener() {},
  };
  Object.defineProperty(window, "speechSynthesis", { value: fake, configurable: true });
  if (!window.SpeechSynthesisUtterance) {
    window.SpeechSynthesisUtterance = function (text) { this.text = text; };
  }
})();
"""


def spoken(page: Page) -> list[str]:
    """The texts passed to speechSynthesis.speak() so far (needs SPEECH_STUB)."""
    return [u["text"] for u in page.evaluate("window.__spoken")]


# --- 三审 -------------------------------------------------------------------------------------------
def approve(browser: Browser, base: str, username: str, title: str) -> None:
    """`username` approves the 三审 step of the article `title` from their 我的待审 list."""
    page = browser_log_in(browser, base, username)
    page.goto("/admin/workflow/reviews/")
    row = page.locator("tr.review-row", has_text=title)
    expect(row).to_have_count(1)
    row.get_by_role("link", name=title).click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/"))
    button = page.locator('button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])')
    expect(button).to_have_count(1)
    button.evaluate("button => button.click()")  # the entry sits in the action menu's drop-down
    # The final approval publishes: give the server time to render and redirect.
    # The reviewer lands on 我的待审 (the editor may be closed to them now), told what happened.
    expect(page).to_have_url(re.compile(r"/admin/workflow/reviews/$"), timeout=20_000)
    expect(page.locator(".messages")).to_contain_text(f"《{title}》已批准", timeout=10_000)
    page.context.close()
