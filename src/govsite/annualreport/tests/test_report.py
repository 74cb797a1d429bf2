"""The 年报 page: exact labels, frozen numbers, static publication, downloads, department isolation and
the 31 January reminder (docs/annual-report.md). The session's demo has published the S&T site's
report for last year."""

import datetime as dt
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from docx import Document
from lxml import html
from pypdf import PdfReader
from wagtail.models import Site

from govsite.annualreport import wagtail_hooks
from govsite.annualreport.models import AnnualReportPage, ReportSnapshot
from govsite.annualreport.provisioning import report_column
from govsite.annualreport.reminders import missing_reports
from govsite.content.models import ColumnPage
from govsite.content.tests.helpers import editor_post, path_of
from govsite.disclosure.models import DisclosureRequest
from govsite.publishing.jobs import publish_addresses
from govsite.publishing.targets import page_addresses

pytestmark = pytest.mark.django_db
HOST = "kjt.localhost"
YEAR = timezone.localdate().year - 1

# §5.3 of the requirements (国办公开办函〔2021〕30号), transcribed: table three's row headers in order.
TABLE_THREE_ROWS = [
    "一、本年新收申请数量",
    "二、上年结转申请数量",
    "三、本年度办理结果",
    "（一）予以公开",
    "（二）部分公开",
    "（三）不予公开",
    "1．属于国家秘密",
    "2．其他法律行政法规禁止公开",
    "3．危及“三安全一稳定”",
    "4．保护第三方合法权益",
    "5．属于三类内部事务信息",
    "6．属于四类过程性信息",
    "7．属于行政执法案卷",
    "8．属于行政查询事项",
    "（四）无法提供",
    "1．本机关不掌握相关政府信息",
    "2．没有现成信息需要另行制作",
    "3．补正后申请内容仍不明确",
    "（五）不予处理",
    "1．信访举报投诉类申请",
    "2．重复申请",
    "3．要求提供公开出版物",
    "4．无正当理由大量反复申请",
    "5．要求行政机关确认或重新出具已获取信息",
    "（六）其他处理",
    "1．逾期不补正",
    "2．逾期未缴纳费用",
    "3．其他",
    "（七）总计",
    "四、结转下年度继续办理",
]
TABLE_THREE_COLUMNS = [
    "申请人情况",
    "自然人",
    "法人或其他组织",
    "总计",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
]
SECTIONS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]
RESULTS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def kjt_report() -> AnnualReportPage:
    site = Site.objects.get(hostname=HOST)
    return AnnualReportPage.objects.live().descendant_of(site.root_page).get(year=YEAR)


def texts(cells) -> list[str]:
    return [" ".join(cell.text_content().split()) for cell in cells]


def table(doc, caption: str):
    return doc.xpath(f'//table[caption="{caption}"]')[0]


def test_the_demo_report_reconciles_and_every_outcome_row_has_a_case():
    report = kjt_report().report()
    assert report.frozen_at is not None and report.imbalance == []
    table = report.table_three
    assert sum(table.new.values()) > 0 and sum(table.carried_over.values()) > 0
    assert sum(table.carried_forward.values()) > 0
    assert all(sum(counts.values()) > 0 for counts in table.outcomes.values())


def test_the_html_tables_carry_the_exact_labels_with_headers_and_captions(client):
    page = kjt_report()
    response = client.get(path_of(page), HTTP_HOST=HOST)
    assert response.status_code == 200
    doc = html.fromstring(response.content.decode())
    assert texts(doc.xpath("//article//h2")) == SECTIONS
    three = table(doc, "收到和处理政府信息公开申请情况")
    assert texts(three.xpath("./tbody//th")) == TABLE_THREE_ROWS
    assert texts(three.xpath("./thead//th")) == TABLE_THREE_COLUMNS
    assert all(th.get("scope") in ("row", "col", "colgroup") for th in doc.xpath("//table//th"))
    first = table(doc, "第二十条第（一）项")
    assert texts(first.xpath(".//th")) == [
        "信息内容",
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "规章",
        "行政规范性文件",
    ]
    assert texts(table(doc, "第二十条第（五）项").xpath(".//th")) == [
        "信息内容",
        "本年处理决定数量",
        "行政许可",
    ]
    six = table(doc, "第二十条第（六）项")
    assert texts(six.xpath(".//th")) == ["信息内容", "本年处理决定数量", "行政处罚", "行政强制"]
    eight = table(doc, "第二十条第（八）项")
    assert texts(eight.xpath(".//th")) == ["信息内容", "本年收费金额（万元）", "行政事业性收费"]
    four = table(doc, "政府信息公开行政复议、行政诉讼情况")
    assert texts(four.xpath(".//th")) == [
        "行政复议",
        "行政诉讼",
        *RESULTS,
        "未经复议直接起诉",
        "复议后起诉",
        *RESULTS,
        *RESULTS,
    ]
    # the demo's typed 1 维持 in 复议 and in 直接起诉: each group's 总计 is the sum
    assert texts(four.xpath(".//tbody//td")) == ["1", "0", "0", "0", "1"] * 2 + ["0"] * 5
    # the 总计 row and column of table three: 一 + 二 = 三（七） + 四
    rows = {
        texts(tr.xpath("./th"))[-1]: [int(n) for n in texts(tr.xpath("./td"))]
        for tr in three.xpath("./tbody/tr")
    }
    totals = [a + b for a, b in zip(rows["一、本年新收申请数量"], rows["二、上年结转申请数量"], strict=True)]
    assert totals == [a + b for a, b in zip(rows["（七）总计"], rows["四、结转下年度继续办理"], strict=True)]
    assert all(row[-1] == sum(row[:-1]) for row in rows.values())


@pytest.mark.both_engines  # SELECT ... FOR UPDATE of the snapshot
def test_published_numbers_are_frozen_and_a_draft_recomputes(client):
    page = kjt_report()
    site = Site.objects.get(hostname=HOST)
    before = page.report().table_three.new["natural"]
    draft = AnnualReportPage(
        title="测试年报",
        slug="test-draft",
        year=YEAR - 1,
        overview="概述",
        problems="无",
        other_matters="无",
        live=False,
    )
    report_column(site).add_child(instance=draft)
    draft_before = draft.report().table_three.new["natural"]
    for received in (dt.date(YEAR, 6, 2), dt.date(YEAR - 1, 6, 2)):
        DisclosureRequest.objects.create(
            site=site, number=f"T-{received.year}", applicant_type="natural", name="测试",
            id_type="resident_id", id_number="x", phone="1", description="d", delivery="email",
            received_on=received,
        )  # fmt: skip
    assert kjt_report().report().table_three.new["natural"] == before
    assert draft.report().table_three.new["natural"] == draft_before + 1
    assert not ReportSnapshot.objects.filter(page_id=draft.pk).exists()
    preview = draft.make_preview_request().content.decode()  # the editor's preview shows the tables too
    assert "<caption>收到和处理政府信息公开申请情况</caption>" in preview
    draft.save_revision().publish()
    assert (
        ReportSnapshot.objects.get(page_id=draft.pk).data["table_three"]["new"]["natural"] == draft_before + 1
    )


def test_publication_writes_the_report_and_its_downloads(settings, tmp_path):
    settings.GOVSITE_PUBLIC_DIR = tmp_path / "public"
    page = kjt_report()
    site = Site.objects.get(hostname=HOST)
    report = publish_addresses(site, page_addresses(page))
    assert not report.failed and report.written == 6  # page, DOCX, PDF in both versions
    again = publish_addresses(site, page_addresses(page))
    assert again.written == 0 and again.unchanged == 6  # the same bytes: nothing rewritten
    folder = tmp_path / "public" / HOST / path_of(page).strip("/")
    published = (folder / "index.html").read_text(encoding="utf-8")
    assert "<caption>收到和处理政府信息公开申请情况</caption>" in published
    assert '<th scope="row" colspan="3">一、本年新收申请数量</th>' in published
    new_total = str(sum(page.report().table_three.new.values()))

    document = Document(io.BytesIO((folder / f"zfxxgknb-{YEAR}.docx").read_bytes()))
    cells = [cell.text for tbl in document.tables for row in tbl.rows for cell in row.cells]
    assert "一、本年新收申请数量" in cells and "1．属于国家秘密" in cells
    new_row = next(row for row in document.tables[4].rows if row.cells[0].text == "一、本年新收申请数量")
    assert new_row.cells[-1].text == new_total
    assert any(p.text == "三、收到和处理政府信息公开申请情况" for p in document.paragraphs)

    pdf = (folder / f"zfxxgknb-{YEAR}.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata is not None and reader.metadata.title == page.title
    text = "".join(p.extract_text() for p in reader.pages)
    assert "本年新收申请数量" in re.sub(r"\s", "", text)


def site_admin(django_user_model, username: str, department: str):
    user = django_user_model.objects.create_user(username, password="x")
    user.groups.add(Group.objects.get(name=f"{department}-网站管理员"))
    return user


def test_another_department_cannot_open_or_edit_the_report_by_id(client, django_user_model):
    page = kjt_report()
    client.force_login(site_admin(django_user_model, "jyt-office", "教育厅"))
    edit = f"/admin/pages/{page.pk}/edit/"
    assert client.get(edit, HTTP_HOST="127.0.0.1").status_code in (302, 403)
    assert client.post(edit, {"title": "篡改"}, HTTP_HOST="127.0.0.1").status_code in (302, 403)
    assert AnnualReportPage.objects.get(pk=page.pk).title == page.title
    client.force_login(site_admin(django_user_model, "kjt-office", "科学技术厅"))
    response = client.get(edit, HTTP_HOST="127.0.0.1")
    assert response.status_code == 200
    assert (
        "已固定" in response.content.decode()
        and "收到和处理政府信息公开申请情况" in response.content.decode()
    )


def test_the_editor_refuses_a_second_report_for_a_year_and_a_wrong_column(client, django_user_model):
    client.force_login(site_admin(django_user_model, "kjt-office", "科学技术厅"))
    site = Site.objects.get(hostname=HOST)
    for column, message in (
        (report_column(site), f"本网站已有 {YEAR} 年度的政府信息公开年报"),
        (
            ColumnPage.objects.descendant_of(site.root_page).get(slug="tzgg"),
            "年报须建在栏目类型为“信息公开年报”的栏目下",
        ),
    ):
        url = f"/admin/pages/add/govsite_annualreport/annualreportpage/{column.pk}/"
        data = editor_post(
            client, url, title="又一份年报", slug="again", year=str(YEAR), overview="a", problems="b"
        )
        response = client.post(url, {**data, "other_matters": "c"}, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200 and message in response.content.decode()
    url = f"/admin/pages/add/govsite_annualreport/annualreportpage/{report_column(site).pk}/"
    data = editor_post(
        client, url, title="年报", slug="again", year=str(YEAR - 3), overview="a", problems="b"
    )
    response = client.post(url, {**data, "other_matters": "c", "fees": "-1"}, HTTP_HOST="127.0.0.1")
    assert response.status_code == 200 and "收费金额不能为负数" in response.content.decode()
    assert AnnualReportPage.objects.filter(slug="again").count() == 0


def test_the_january_reminder_and_its_deadline(client, django_user_model, monkeypatch):
    kjt, jyt = Site.objects.get(hostname=HOST), Site.objects.get(hostname="jyt.localhost")
    on_time = missing_reports([kjt, jyt], dt.date(YEAR + 1, 1, 1))
    assert [(r.site.hostname, r.year, r.overdue) for r in on_time] == [("jyt.localhost", YEAR, False)]
    assert missing_reports([jyt], dt.date(YEAR + 1, 1, 31))[0].overdue is False
    assert missing_reports([jyt], dt.date(YEAR + 1, 2, 1))[0].overdue is True
    assert missing_reports([kjt], dt.date(YEAR + 1, 2, 1)) == []
    assert [r.year for r in missing_reports([kjt], dt.date(YEAR + 2, 1, 1))] == [YEAR + 1]

    monkeypatch.setattr(wagtail_hooks, "today", lambda: dt.date(YEAR + 1, 2, 1))
    client.force_login(site_admin(django_user_model, "jyt-office", "教育厅"))
    dashboard = client.get("/admin/", HTTP_HOST="127.0.0.1").content.decode()
    assert "政府信息公开年报已逾期" in dashboard and "已逾期" in dashboard
    client.force_login(site_admin(django_user_model, "kjt-office", "科学技术厅"))
    assert "政府信息公开年报" not in client.get("/admin/", HTTP_HOST="127.0.0.1").content.decode()
