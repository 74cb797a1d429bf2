"""导入 Word in a real browser: an editor imports a 公文 into a new article, the three reviewers
approve it, and the published page shows its table."""

import re
import urllib.request

from playwright.sync_api import Browser, expect

from govsite.content.tests.helpers import SEED_TITLE, TABLE_WORD, gongwen_docx
from govsite.testing import browser_log_in

from .support import admin_column_id, approve, find_link

COLUMN = "/kjdt/mtjj/"  # 媒体聚焦: on the site's 三审 chain (工作动态 has a 2-step chain of its own)
TITLE = "关于开展科技创新券申报工作的通知"
ARTICLE_IN_COLUMN = SEED_TITLE


def test_an_imported_word_file_is_reviewed_and_published(browser: Browser, demo_server: str) -> None:
    editor = browser_log_in(browser, demo_server, "kjt-editor")
    column_id = admin_column_id(editor, find_link(demo_server, COLUMN, ARTICLE_IN_COLUMN))
    editor.goto(f"/admin/pages/{column_id}/edit/")
    # The header button sits in the page's 动作 drop-down, added to the document only once it opens.
    editor.get_by_role("navigation", name="操作").get_by_role("button", name="动作", exact=True).click()
    editor.locator(f'a[href="/admin/content/columns/{column_id}/import-word/"]').click()
    expect(editor.locator("h1")).to_contain_text("从 Word 导入新文章")
    editor.set_input_files(
        "#id_file",
        files=[{"name": "通知.docx", "mimeType": "application/octet-stream", "buffer": gongwen_docx()}],
    )
    editor.get_by_role("button", name="导入").click()
    expect(editor).to_have_url(re.compile(r"/admin/pages/\d+/edit/"))
    expect(editor.locator(".messages")).to_contain_text("已从 Word 导入")
    expect(editor.locator("#id_title")).to_have_value(TITLE)
    editor.locator('button[name="action-submit"]').evaluate("button => button.click()")
    expect(editor.locator(".messages")).to_contain_text("审核")
    editor.context.close()

    for reviewer in ("kjt-reviewer1", "kjt-reviewer2", "kjt-reviewer3"):
        approve(browser, demo_server, reviewer, TITLE)

    href = find_link(demo_server, COLUMN, TITLE)
    with urllib.request.urlopen(demo_server + href) as response:
        published = response.read().decode()
    assert re.search(r"<table>.*?" + TABLE_WORD + r".*?</table>", published, re.S)
    assert '<p class="align-right">2026年3月1日</p>' in published
