"""三审 in a real browser: an editor submits, three reviewers approve in turn, the public sees it."""

import re
import urllib.request

from playwright.sync_api import Browser, expect

from govsite.testing import browser_log_in

from .support import approve, find_link

COLUMN = "/kjdt/msdt/"  # 盟市动态 has the site's three steps (工作动态 has a two-step chain of its own)
SUMMARY = "三审浏览器测试：本稿件经初审、复审、终审后发布。"


def test_an_article_goes_through_three_reviewers(browser: Browser, demo_server: str) -> None:
    href = find_link(demo_server, COLUMN, "呼和浩特市举办科技成果对接会")
    article_id = re.search(r"_(\d+)\.html$", href)[1]

    editor = browser_log_in(browser, demo_server, "kjt-editor")
    editor.goto(f"/admin/pages/{article_id}/edit/")
    title = editor.locator("#id_title").input_value()
    expect(editor.locator('button[name="action-publish"]')).to_have_count(0)  # editors submit instead
    editor.fill("#id_summary", SUMMARY)
    editor.locator('button[name="action-submit"]').evaluate("button => button.click()")
    expect(editor.locator(".messages")).to_contain_text("审核")
    editor.context.close()

    # The editor cannot approve their own submission; the three reviewers do, one after another.
    approve(browser, demo_server, "kjt-reviewer1", title)
    approve(browser, demo_server, "kjt-reviewer2", title)
    with urllib.request.urlopen(demo_server + href) as response:
        assert SUMMARY not in response.read().decode()  # not published before the final review
    approve(browser, demo_server, "kjt-reviewer3", title)

    with urllib.request.urlopen(demo_server + href) as response:
        assert SUMMARY in response.read().decode()

    history = browser_log_in(browser, demo_server, "platform-admin")
    history.goto(f"/admin/pages/{article_id}/history/")
    for who in ("kjt-editor", "kjt-reviewer1", "kjt-reviewer2", "kjt-reviewer3"):
        expect(history.locator("main")).to_contain_text(who)
    history.context.close()
