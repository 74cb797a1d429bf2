"""A 留言 in a real browser: written on the S&T site's form (keyboard, captcha), 转办 to 教育厅, answered
there, approved by a second person, and published on the S&T site's static 留言选登 with the name masked."""

import re

from playwright.sync_api import Browser, Page, expect

from govsite.testing import browser_log_in

from .support import describe_violations, run_axe

SUBJECT = "中小学科技节的报名方式"
DIGITS = "零一二三四五六七八九十"


def axe_clean(page: Page, what: str) -> None:
    violations = run_axe(page)
    assert not violations, f"{what}: {describe_violations(violations)}"


def solve(question: str) -> int:
    """The captcha's arithmetic question (“七加五等于几？”), as a person would answer it."""

    def number(text: str) -> int:
        if "十" in text and len(text) > 1:
            tens, _, ones = text.partition("十")
            return (DIGITS.index(tens) if tens else 1) * 10 + (DIGITS.index(ones) if ones else 0)
        return DIGITS.index(text)

    body = question.split("：", 1)[1].split("等于几", 1)[0]
    op = "加" if "加" in body else "减"
    a, b = body.split(op)
    return number(a) + number(b) if op == "加" else number(a) - number(b)


def test_a_message_from_the_form_through_transfer_review_and_publication(
    browser: Browser, demo_server: str
) -> None:
    reader = browser.new_context(base_url=demo_server).new_page()
    reader.goto("/elder/liuyan/")  # the 长辈版 form (WCAG 2.1 AA), then the standard one
    axe_clean(reader, "长辈版留言表单")
    reader.goto("/liuyan/")
    axe_clean(reader, "留言表单")
    reader.get_by_role("radio", name="咨询", exact=True).check()
    reader.get_by_label(re.compile("^标题")).fill(SUBJECT)
    reader.get_by_label(re.compile("^内容")).fill("请问报名方式？我的电话 13812345678。")
    reader.get_by_label(re.compile("^姓名")).fill("欧阳明月")
    reader.get_by_label(re.compile("^联系电话")).fill("13812345678")
    question = reader.locator("label[for=id_captcha_answer]").inner_text()
    reader.get_by_label(re.compile("验证问题")).fill(str(solve(question)))
    reader.get_by_label(re.compile("验证问题")).press("Enter")  # submitted with the keyboard
    expect(reader.locator("h1")).to_have_text("留言已提交")
    number = reader.locator(".receipt-number").inner_text()
    code = reader.locator(".receipt-code").inner_text()

    kjt = browser_log_in(browser, demo_server, "kjt-siteadmin")
    kjt.goto("/admin/messages/")
    kjt.get_by_role("link", name=number).click()
    kjt.get_by_label("转办至").select_option(label="内蒙古自治区教育厅")
    kjt.get_by_role("button", name="转办", exact=True).click()
    expect(kjt.locator("body")).to_contain_text("已转办至内蒙古自治区教育厅")

    jyt = browser_log_in(browser, demo_server, "jyt-siteadmin")
    jyt.goto("/admin/messages/")
    jyt.get_by_role("link", name=number).click()
    expect(jyt.locator("body")).to_contain_text("欧阳明月")  # the handler sees the data in full
    jyt.get_by_role("button", name="受理", exact=True).click()
    jyt.get_by_label("答复部门").fill("教育厅基础教育处")
    jyt.get_by_label("答复内容").fill("请通过学校统一报名。")
    jyt.get_by_role("button", name="提交审核").click()
    expect(jyt.locator("body")).to_contain_text("答复待审核")

    admin = browser_log_in(browser, demo_server, "platform-admin")
    admin.goto("/admin/messages/")
    admin.get_by_role("link", name=number).click()
    admin.get_by_role("button", name="审核通过").click()
    expect(admin.locator("body")).to_contain_text("已答复")

    reader.goto("/hdjl/lyxd/")  # the published file of the S&T site
    reader.get_by_role("link", name=SUBJECT).click()
    expect(reader.locator("h1")).to_have_text(SUBJECT)
    axe_clean(reader, "留言公开页")
    body = (
        reader.locator("main").inner_text() if reader.locator("main").count() else reader.inner_text("body")
    )
    assert "欧***" in body and "欧阳明月" not in body and "13812345678" not in body
    assert "教育厅基础教育处" in body and "请通过学校统一报名。" in body

    reader.goto("/hdjl/lyxd/tj.html")
    expect(reader.locator("svg.message-chart")).to_be_visible()
    axe_clean(reader, "留言统计")

    reader.goto("/liuyan/cx/")
    reader.get_by_label(re.compile("^留言编号")).fill(number)
    reader.get_by_label(re.compile("^查询码")).fill(code)
    reader.get_by_role("button", name="查询", exact=True).click()
    expect(reader.locator("body")).to_contain_text("请通过学校统一报名。")
    for page in (reader, kjt, jyt, admin):
        page.context.close()
