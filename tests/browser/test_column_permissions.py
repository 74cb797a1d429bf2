"""栏目授权 in a real browser: an editor limited to 科技动态 adds an article there and nowhere else."""

import re

from playwright.sync_api import Browser, expect

from govsite.testing import browser_log_in

from .support import find_link

OTHER_COLUMN = "/zwgk/tzgg/"  # 政务公开 › 通知公告: not granted to kjt-news-editor
OTHER_ARTICLE = "关于组织申报年度自治区科技计划项目的通知"
TITLE = "栏目授权浏览器测试稿件"


def test_a_column_editor_adds_an_article_in_their_column_and_cannot_reach_another(
    browser: Browser, demo_server: str
) -> None:
    editor = browser_log_in(browser, demo_server, "kjt-news-editor")
    editor.goto("/admin/pages/")
    main = editor.locator("main")
    expect(main).to_contain_text("媒体聚焦")
    expect(main).not_to_contain_text("政务公开")  # other columns are not even listed

    href = main.get_by_role("link", name="媒体聚焦", exact=True).first.get_attribute("href")
    column_id = re.search(r"/admin/pages/(\d+)/", href or "")[1]
    editor.goto(f"/admin/pages/add/govsite_content/articlepage/{column_id}/")
    editor.fill("#id_title", TITLE)
    editor.fill("#id_source", "内蒙古自治区科学技术厅")
    # A draft needs no body yet. Let Wagtail's autosave (500 ms after a change) finish first: a save
    # racing it can create the page twice with one slug.
    editor.wait_for_timeout(2_000)
    editor.wait_for_load_state("networkidle")
    editor.locator("button.action-save").first.click()
    expect(editor).to_have_url(re.compile(r"/admin/pages/\d+/edit/"), timeout=20_000)
    expect(editor.locator(".messages")).to_contain_text(TITLE)

    # Another column's article, typed in by address: refused with Wagtail's Chinese message.
    article = re.search(r"_(\d+)\.html$", find_link(demo_server, OTHER_COLUMN, OTHER_ARTICLE))[1]
    editor.goto(f"/admin/pages/{article}/edit/")
    expect(editor).to_have_url(re.compile(r"/admin/$"))
    expect(editor.locator(".messages")).to_contain_text("没有权限")
    editor.context.close()
