"""The handlers' admin: department isolation (lists and rows by id), masking, audit, moderation,
the 采纳情况 reminder and the Excel export."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from govsite.participation.models import InterviewQuestion, Moderation, Opinion, SolicitationPage
from govsite.participation.services import adoption_due
from govsite.workdays.calendar import WorkdayCalendar

from .conftest import column, period, publish

pytestmark = pytest.mark.django_db


def opinion(page, **fields):
    return Opinion.objects.create(page=page, site=page.get_site(), **{"content": "意见", **fields})


def views_of(row):
    content_type = ContentType.objects.get_for_model(type(row))
    return ModelLogEntry.objects.filter(
        content_type=content_type, object_id=str(row.pk), action="govsite.participation.viewed"
    )


def test_list_masks_personal_data_and_detail_is_audited(client, kjt_handler, open_solicitation):
    row = opinion(open_solicitation, name="张三丰", contact="13812345678")
    client.force_login(kjt_handler)
    html = client.get(f"/admin/participation/page/{open_solicitation.pk}/").content.decode()
    assert "张**" in html and "138****5678" in html
    assert "张三丰" not in html and "13812345678" not in html
    assert "测试征集" in client.get("/admin/participation/").content.decode()
    html = client.get(f"/admin/participation/opinion/{row.pk}/").content.decode()
    assert "张三丰" in html and "13812345678" in html
    assert views_of(row).count() == 1 and "张三丰" not in str(views_of(row).get().label)


def test_another_department_gets_404_for_every_row_by_id(
    client, jyt_handler, open_solicitation, announced_interview
):
    row = opinion(open_solicitation, name="张三丰")
    question = InterviewQuestion.objects.create(
        page=announced_interview, site=announced_interview.get_site(), content="问"
    )
    client.force_login(jyt_handler)
    assert "测试征集" not in client.get("/admin/participation/").content.decode()
    for url in [
        f"/admin/participation/page/{open_solicitation.pk}/",
        f"/admin/participation/page/{open_solicitation.pk}/export/",
        f"/admin/participation/opinion/{row.pk}/",
        f"/admin/participation/question/{question.pk}/",
    ]:
        assert client.get(url).status_code == 404, url
    response = client.post(f"/admin/participation/question/{question.pk}/moderate/", {"status": "approved"})
    assert response.status_code == 404
    question.refresh_from_db()
    assert question.status == Moderation.PENDING and not views_of(row).exists()


def test_editor_without_the_permission_is_refused(client, django_user_model):
    from django.contrib.auth.models import Group

    editor = django_user_model.objects.create_user("p-editor", password="x")
    editor.groups.add(Group.objects.get(name="科学技术厅-编辑"))
    client.force_login(editor)
    response = client.get("/admin/participation/")  # Wagtail turns PermissionDenied into a redirect
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_handler_records_adoption_and_moderates_questions(
    client, kjt_handler, open_solicitation, announced_interview
):
    row = opinion(open_solicitation)
    question = InterviewQuestion.objects.create(
        page=announced_interview, site=announced_interview.get_site(), content="问题"
    )
    client.force_login(kjt_handler)
    data = {"adoption": "adopted", "note": "已吸收到第三条"}
    assert client.post(f"/admin/participation/opinion/{row.pk}/", data).status_code == 302
    row.refresh_from_db()
    assert row.adoption == "adopted" and row.note == "已吸收到第三条"
    client.post(f"/admin/participation/question/{question.pk}/moderate/", {"status": "approved"})
    question.refresh_from_db()
    assert question.status == Moderation.APPROVED
    assert (
        client.post(f"/admin/participation/question/{question.pk}/moderate/", {"status": "x"}).status_code
        == 404
    )


def test_closed_solicitation_without_adoption_is_flagged_after_ten_working_days(
    client, kjt_handler, kjt_site
):
    page = publish(
        column(kjt_site, "zjdc"), SolicitationPage(title="逾期未反馈", slug="yq", **period(-60, -30))
    )
    due = adoption_due(page, WorkdayCalendar.load())
    assert due is not None and due.overdue
    assert due.due_on == WorkdayCalendar.load().add_workdays(timezone.localdate(page.end_at), 10)
    client.force_login(kjt_handler)
    html = client.get("/admin/participation/").content.decode()
    assert "尚未发布意见采纳情况" in html and "逾期未反馈" in html
    dashboard = client.get("/admin/").content.decode()
    assert "待发布意见采纳情况（1）" in dashboard and "逾期未反馈" in dashboard
    recent = SolicitationPage(title="刚结束", slug="gjs", **period(-5, -0.01))
    publish(column(kjt_site, "zjdc"), recent)
    due = adoption_due(recent, WorkdayCalendar.load())
    assert due is not None and not due.overdue


def test_adoption_cannot_be_written_before_the_end(open_solicitation):
    from django.core.exceptions import ValidationError

    open_solicitation.adoption_text = "<p>采纳情况</p>"
    with pytest.raises(ValidationError, match="征集尚未结束"):
        open_solicitation.full_clean()


def test_export_is_excel_with_masked_names_and_text_never_a_formula(client, kjt_handler, open_solicitation):
    opinion(open_solicitation, name="张三丰", content='=HYPERLINK("http://evil","x")')
    client.force_login(kjt_handler)
    response = client.get(f"/admin/participation/page/{open_solicitation.pk}/export/")
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    sheet = load_workbook(io.BytesIO(response.content))["意见"]
    row = list(sheet[2])
    assert row[2].value == "张**" and row[4].value.startswith("=HYPERLINK") and row[4].data_type == "s"


def test_survey_admin_shows_free_text_to_handlers(client, kjt_handler, kjt_site):
    from govsite.participation.models import SurveyPage, SurveyResponse

    page = SurveyPage.objects.descendant_of(kjt_site.root_page).get(slug="kjfw-dc")
    client.force_login(kjt_handler)
    html = client.get(f"/admin/participation/page/{page.pk}/").content.decode()
    assert "希望增加政策解读视频" in html and "共收到答卷 5 份" in html
    assert SurveyResponse.objects.filter(page=page).count() == 5
    sheet = load_workbook(io.BytesIO(client.get(f"/admin/participation/page/{page.pk}/export/").content))
    assert [r[1].value for r in sheet["文字回答"].iter_rows(min_row=2)] == ["希望增加政策解读视频。"]


def test_demo_is_idempotent(kjt_site):
    from govsite.participation.demo import build_demo_participation

    before = Opinion.objects.count()
    zjdc, zxft = column(kjt_site, "zjdc"), column(kjt_site, "zxft")
    assert build_demo_participation(kjt_site, zjdc, zxft, None) == []
    assert Opinion.objects.count() == before


@pytest.mark.both_engines  # a data migration
def test_migration_grants_handling_to_departments_provisioned_before(client, kjt_handler, open_solicitation):
    import importlib

    from django.apps import apps
    from wagtail.models import GroupSitePermission

    GroupSitePermission.objects.filter(permission__codename="handle_participation").delete()
    client.force_login(kjt_handler)
    assert client.get(f"/admin/participation/page/{open_solicitation.pk}/").status_code == 404
    name = "govsite.participation.migrations.0002_grant_handling_to_existing_sites"
    migration = importlib.import_module(name)
    migration.grant(apps, None)
    assert client.get(f"/admin/participation/page/{open_solicitation.pk}/").status_code == 200
    assert GroupSitePermission.objects.filter(permission__codename="handle_participation").count() >= 2
