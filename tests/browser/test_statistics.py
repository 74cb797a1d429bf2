"""稿件统计 in a real browser: a site administrator exports the statistics and opens the workbook."""

from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import Browser, expect

from govsite.testing import browser_log_in


def test_a_site_admin_exports_the_statistics_to_excel(
    browser: Browser, demo_server: str, tmp_path: Path
) -> None:
    page = browser_log_in(browser, demo_server, "kjt-siteadmin")
    page.goto("/admin/editorial/statistics/?start=2000-01-01&end=2099-12-31")
    expect(page.locator("h1")).to_contain_text("稿件统计")
    total = int(page.locator("#statistics-total").inner_text())
    assert total > 0  # the demo's S&T articles

    with page.expect_download() as download_info:
        page.get_by_role("link", name="导出 Excel").click()
    download = download_info.value
    assert download.suggested_filename == "稿件统计_20000101-20991231.xlsx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    workbook = load_workbook(path)
    assert workbook.sheetnames == ["概况", "按编辑", "按栏目", "按月份", "栏目更新"]
    summary = workbook["概况"]
    assert [cell.value for cell in summary[1]][:4] == ["网站", "开始日期", "结束日期", "发布稿件数"]
    assert summary["A2"].value == "内蒙古自治区科学技术厅" and summary["D2"].value == total
    per_column = workbook["按栏目"]
    assert sum(row[2].value for row in per_column.iter_rows(min_row=2)) == total
    page.context.close()
