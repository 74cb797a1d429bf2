"""我为政府网站找错: the link on every page, the intake form, routing by address, deadline, handling."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import override_settings
from wagtail.models import ModelLogEntry

from govsite.citizens import services
from govsite.citizens.models import ErrorReport, ReportStatus
from govsite.workdays.calendar import WorkdayCalendar

pytestmark = pytest.mark.django_db
HOST = "kjt.localhost"


def report_data(**overrides):
    data = {
        "page_url": "http://kjt.localhost/",
        "error_type": "typo",
        "description": "首页有错别字",
        "contact": "",
    }
    data.update(overrides)
    return data


def submitted():
    """Reports made by the test (the session's demo has its own two)."""
    return ErrorReport.objects.exclude(description__contains="中小企业").exclude(
        description__contains="政策文件"
    )


def test_every_page_links_to_the_form_with_its_own_address(client):
    html = client.get("/", HTTP_HOST=HOST).content.decode()
    assert 'href="/zhaocuo/?url=/" rel="nofollow"' in html
    elder = client.get("/elder/", HTTP_HOST=HOST).content.decode()
    assert 'href="/elder/zhaocuo/?url=/" rel="nofollow"' in elder
    assert 'href="/zhanghu/denglu/">登录</a>' in html and 'href="/zhanghu/zhuce/">注册</a>' in html


def test_the_form_is_prefilled_with_the_reported_page(client):
    response = client.get("/zhaocuo/?url=/kjdt/index.html", HTTP_HOST=HOST)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="http://kjt.localhost/kjdt/index.html"' in html
    assert '<label for="id_page_url">出错网页地址' in html and "<legend>错误类型" in html
    assert 'aria-describedby="id_description_helptext"' in html


def test_a_report_goes_to_the_site_owning_the_address_with_a_3_workday_deadline(client, jyt_site):
    response = client.post("/zhaocuo/", report_data(page_url="http://jyt.localhost/a.html"), HTTP_HOST=HOST)
    assert response.status_code == 302 and response["Location"] == "/zhaocuo/done/"
    report = submitted().get()
    assert report.site == jyt_site and report.status == ReportStatus.NEW
    assert report.due_on == WorkdayCalendar.load().add_workdays(report.received_on, 3)
    receipt = client.get("/zhaocuo/done/", HTTP_HOST=HOST).content.decode()
    assert report.number in receipt
    # Shown once: reloading the receipt goes back to the form.
    assert client.get("/zhaocuo/done/", HTTP_HOST=HOST).status_code == 302


def test_elder_version_keeps_the_reader_in_it(client):
    response = client.post("/elder/zhaocuo/", report_data(), HTTP_HOST=HOST)
    assert response["Location"] == "/elder/zhaocuo/done/"


def test_a_foreign_host_is_refused_next_to_the_field_and_the_text_kept(client):
    data = report_data(page_url="https://www.example.com/x.html", description="我写了很多字")
    response = client.post("/zhaocuo/", data, HTTP_HOST=HOST)
    html = response.content.decode()
    assert response.status_code == 400
    assert "不属于本网站群" in html and "我写了很多字" in html
    assert 'aria-invalid="true"' in html and 'href="#id_page_url"' in html
    assert not submitted().exists()


@pytest.mark.parametrize(
    "url, expected",
    [("/kjdt/", "kjt"), ("http://KJT.localhost/x.html", "kjt"), ("http://jyt.localhost:80/", "jyt")],
)
def test_resolve_site(kjt_site, jyt_site, url, expected):
    assert services.resolve_site(url, kjt_site) == {"kjt": kjt_site, "jyt": jyt_site}[expected]


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://kjt.localhost/", "kjdt/", "http://[::1", "//x"]
)
def test_resolve_site_refuses_malformed_addresses(kjt_site, url):
    with pytest.raises(ValueError, match=r"网页地址|不属于"):
        services.resolve_site(url, kjt_site)


def test_missing_fields_and_overlong_text_are_messages_not_errors(client):
    response = client.post("/zhaocuo/", report_data(error_type="", description="字" * 2001), HTTP_HOST=HOST)
    html = response.content.decode()
    assert response.status_code == 400
    assert "请选择错误类型。" in html and "问题描述不能超过 2000 字。" in html
    assert not submitted().exists()


def test_hostile_input_is_stored_as_text_and_shown_escaped(client, admin_client):
    hostile = "<script>alert('x')</script>' OR 1=1; --"
    client.post("/zhaocuo/", report_data(description=hostile, contact="<b>me</b>"), HTTP_HOST=HOST)
    report = submitted().get()
    assert report.description == hostile
    html = admin_client.get(f"/admin/error-reports/{report.pk}/").content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "<b>me</b>" not in html


@override_settings(GOVSITE_ERROR_REPORT_LIMIT=2)
def test_submissions_are_rate_limited_and_the_text_kept(client):
    for _ in range(2):
        assert client.post("/zhaocuo/", report_data(), HTTP_HOST=HOST).status_code == 302
    response = client.post("/zhaocuo/", report_data(description="第三次"), HTTP_HOST=HOST)
    assert response.status_code == 429 and "操作过于频繁" in response.content.decode()
    assert "第三次" in response.content.decode()
    assert submitted().count() == 2


def test_deadline_counts_working_days_across_a_holiday():
    # 2026-09-30 is a Wednesday before the National Day holiday (10-01 … 10-08).
    calendar = WorkdayCalendar.load()
    due = services.due_date(dt.date(2026, 9, 30), calendar)
    assert due == calendar.add_workdays(dt.date(2026, 9, 30), 3)
    assert due is not None and due > dt.date(2026, 10, 8)


def new_report(site, **overrides):
    return services.submit_report(site, report_data(**overrides), None)


def test_handlers_see_only_their_site_in_the_list_and_by_id(client, kjt_site, jyt_site, kjt_handler):
    mine, theirs = new_report(kjt_site), new_report(jyt_site)
    client.force_login(kjt_handler)
    listing = client.get("/admin/error-reports/").content.decode()
    assert mine.number in listing and theirs.number not in listing
    assert client.get(f"/admin/error-reports/{mine.pk}/").status_code == 200
    assert client.get(f"/admin/error-reports/{theirs.pk}/").status_code == 404
    post = {"status": "fixed", "reply": "改好了"}
    assert client.post(f"/admin/error-reports/{theirs.pk}/", post).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == ReportStatus.NEW


def test_an_editor_without_the_permission_is_refused(client, django_user_model):
    editor = django_user_model.objects.get(username="kjt-editor")
    client.force_login(editor)
    assert client.get("/admin/error-reports/").status_code in (302, 403)


def test_handling_accept_then_fix_with_a_reply_is_audited(client, kjt_site, kjt_handler):
    report = new_report(kjt_site)
    client.force_login(kjt_handler)
    client.post(f"/admin/error-reports/{report.pk}/", {"status": "accepted"})
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED and report.handled_on is None
    response = client.post(f"/admin/error-reports/{report.pk}/", {"status": "fixed", "reply": ""})
    assert response.status_code == 400 and "办结时请填写处理意见" in response.content.decode()
    client.post(f"/admin/error-reports/{report.pk}/", {"status": "fixed", "reply": "已更正"})
    report.refresh_from_db()
    assert (
        report.status == ReportStatus.FIXED and report.reply == "已更正" and report.handled_by == kjt_handler
    )
    content_type = ContentType.objects.get_for_model(ErrorReport)
    actions = set(
        ModelLogEntry.objects.filter(content_type=content_type, object_id=str(report.pk)).values_list(
            "action", flat=True
        )
    )
    assert {"govsite.citizens.submit", "govsite.citizens.accepted", "govsite.citizens.fixed"} <= actions


def test_a_closed_report_cannot_be_reopened(kjt_site, kjt_handler):
    report = new_report(kjt_site)
    services.handle(report, kjt_handler, ReportStatus.REJECTED, "不属于错误")
    with pytest.raises(services.ReportError, match="不予采纳"):
        services.handle(report, kjt_handler, ReportStatus.FIXED, "x")


def test_overdue():
    report = ErrorReport(status=ReportStatus.NEW, due_on=dt.date(2026, 3, 2))
    assert report.is_overdue(dt.date(2026, 3, 3)) and not report.is_overdue(dt.date(2026, 3, 2))
    report.status = ReportStatus.FIXED
    assert not report.is_overdue(dt.date(2026, 3, 3))


def test_the_demo_has_two_reports_on_kjt(kjt_site):
    assert ErrorReport.objects.filter(site=kjt_site).count() >= 2


@pytest.mark.both_engines  # a data migration
def test_existing_departments_get_their_handlers_on_upgrade(kjt_site):
    """The data migration grants what provisioning grants to departments made before this app."""
    from importlib import import_module

    from django.apps import apps
    from wagtail.models import GroupSitePermission

    rows = GroupSitePermission.objects.filter(permission__codename="handle_errorreport")
    expected = set(rows.values_list("group__name", "site_id"))
    assert ("科学技术厅-网站管理员", kjt_site.pk) in expected
    rows.delete()
    import_module("govsite.citizens.migrations.0002_grant_existing_handlers").grant(apps, None)
    assert set(rows.values_list("group__name", "site_id")) == expected
