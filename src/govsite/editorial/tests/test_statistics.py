"""稿件统计 and its Excel export: numbers computed from pages made here, own sites only."""

import io
import uuid
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import Site, TaskState, WorkflowState

from govsite.content.models import ArticlePage, ColumnPage
from govsite.editorial import stats
from govsite.testing import demo_user

from .helpers import act, draft, publish, submit

pytestmark = [pytest.mark.django_db, pytest.mark.both_engines]
START, END = date(2001, 2, 1), date(2001, 3, 31)  # before any demo page was published
TZ = timezone.get_current_timezone()


def kjt() -> Site:
    return Site.objects.get(hostname="kjt.localhost")


def reviewed(author: str, slug: str, published: datetime, review_hours: int) -> ArticlePage:
    """A page by `author` through the three steps, dated as if submitted and published in 2001."""
    page = draft(author=author)
    if slug != "mtjj":
        page.move(ColumnPage.objects.descendant_of(kjt().root_page).get(slug=slug), pos="last-child")
    submit(page, author)
    for reviewer in ("kjt-reviewer1", "kjt-reviewer2", "kjt-reviewer3"):
        act(page, reviewer)
    submitted = published - timedelta(hours=review_hours)
    state = WorkflowState.objects.get(object_id=str(page.pk), status="approved")
    WorkflowState.objects.filter(pk=state.pk).update(created_at=submitted)
    TaskState.objects.filter(workflow_state=state).update(finished_at=published)
    ArticlePage.objects.filter(pk=page.pk).update(first_published_at=published)
    return page


@pytest.fixture
def fixture_pages() -> list[ArticlePage]:
    assert stats.compute([kjt()], START, END).total == 0
    pages = [
        reviewed("kjt-editor", "mtjj", datetime(2001, 2, 10, 10, tzinfo=TZ), 2),
        reviewed("kjt-editor", "mtjj", datetime(2001, 2, 20, 15, tzinfo=TZ), 3),
        reviewed("kjt-siteadmin", "msdt", datetime(2001, 3, 5, 9, tzinfo=TZ), 10),
    ]
    other = publish(draft("jyt.localhost", "jyt-editor"))  # another department, same period
    ArticlePage.objects.filter(pk=other.pk).update(first_published_at=datetime(2001, 2, 15, tzinfo=TZ))
    return pages


def test_counts_review_times_and_column_freshness(fixture_pages):
    result = stats.compute([kjt()], START, END)
    assert result.total == 3
    assert result.by_editor == [("kjt-editor", 2), ("kjt-siteadmin", 1)]
    assert [(column, n) for _, column, n in result.by_column] == [("媒体聚焦", 2), ("盟市动态", 1)]
    assert result.by_month == [("2001-02", 2), ("2001-03", 1)]
    assert (result.review_count, result.review_average_hours, result.review_median_hours) == (3, 5.0, 3.0)
    both = stats.compute(
        list(Site.objects.filter(hostname__in=["kjt.localhost", "jyt.localhost"])), START, END
    )
    assert both.total == 4


def test_column_freshness_counts_days_since_the_last_new_article():
    home = kjt().root_page
    fresh = home.add_child(
        instance=ColumnPage(
            title="测试栏目甲",
            slug=f"c{uuid.uuid4().hex[:6]}",
            column_type="工作动态",
            description="说明",
            keywords="测试",
        )
    )
    home.add_child(
        instance=ColumnPage(
            title="测试栏目乙",
            slug=f"c{uuid.uuid4().hex[:6]}",
            column_type="工作动态",
            description="说明",
            keywords="测试",
        )
    )
    page = publish(draft())
    page.move(fresh, pos="last-child")
    ArticlePage.objects.filter(pk=page.pk).update(first_published_at=timezone.now() - timedelta(days=10))
    columns = {c.column: c.days for c in stats.column_updates([kjt()])}
    assert columns["测试栏目甲"] == 10
    assert columns["测试栏目乙"] is None


def test_excel_export_has_chinese_headers_and_the_same_numbers(client, fixture_pages):
    client.force_login(demo_user("kjt-siteadmin"))
    response = client.get(
        "/admin/editorial/statistics/",
        {"site": kjt().pk, "start": START.isoformat(), "end": END.isoformat(), "export": "xlsx"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["概况", "按编辑", "按栏目", "按月份", "栏目更新"]
    summary = [cell.value for cell in workbook["概况"][2]]
    assert [cell.value for cell in workbook["概况"][1]][:4] == ["网站", "开始日期", "结束日期", "发布稿件数"]
    assert summary[3:] == [3, 3, 5.0, 3.0]
    editors = [[c.value for c in row] for row in workbook["按编辑"].iter_rows()]
    assert editors == [["编辑", "发布稿件数"], ["kjt-editor", 2], ["kjt-siteadmin", 1]]
    assert [[c.value for c in row] for row in workbook["按月份"].iter_rows(min_row=2)] == [
        ["2001-02", 2],
        ["2001-03", 1],
    ]


def test_statistics_are_for_own_sites_and_bad_input_gets_a_message(client, fixture_pages):
    jyt = Site.objects.get(hostname="jyt.localhost")
    client.force_login(demo_user("kjt-siteadmin"))
    page = client.get("/admin/editorial/statistics/").content.decode()
    assert "稿件统计" in page and jyt.site_name not in page
    refused = client.get(
        "/admin/editorial/statistics/",
        {"site": jyt.pk, "start": "2001-02-01", "end": "2001-03-31", "export": "xlsx"},
    )
    assert refused.status_code == 200 and "只能统计您管理的网站。" in refused.content.decode()
    backwards = client.get("/admin/editorial/statistics/", {"start": "2001-03-31", "end": "2001-02-01"})
    assert "结束日期不能早于开始日期。" in backwards.content.decode()
    assert client.get("/admin/editorial/statistics/", {"start": "昨天", "end": "x"}).status_code == 200
    client.force_login(demo_user("kjt-editor"))  # not a site administrator: Wagtail's "no permission"
    refused = client.get("/admin/editorial/statistics/")
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
