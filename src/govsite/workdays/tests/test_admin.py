"""节假日调整 in the admin: platform administrators only; a year's overrides stay inside that year."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template
from wagtail.models import Site
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from govsite.sites.provisioning import provision_department
from govsite.testing import demo_user
from govsite.workdays.calendar import UnknownHolidayYear, add_workdays
from govsite.workdays.models import HolidayYear
from govsite.workdays.notices import unknown_year_notice

pytestmark = pytest.mark.django_db

LIST = "/admin/snippets/govsite_workdays/holidayyear/"
ADD = LIST + "add/"


def year_form(year: str, *overrides: tuple[str, str], complete: bool = True) -> dict:
    rows = [{"date": day, "kind": kind, "name": "元旦", "note": ""} for day, kind in overrides]
    data = {"year": year, "note": "测试", "overrides": inline_formset(rows)}
    if complete:
        data["complete"] = "on"
    return nested_form_data(data)


@pytest.fixture
def admin_client(client):
    client.force_login(demo_user("platform-admin"))
    return client


def test_a_platform_administrator_enters_a_future_year(admin_client):
    assert admin_client.get(LIST).status_code == 200
    form = year_form("2027", ("2027-01-01", "holiday"))
    response = admin_client.post(ADD, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = HolidayYear.objects.get(year=2027)
    assert (stored.complete, [str(o.date) for o in stored.overrides.all()]) == (True, ["2027-01-01"])
    assert add_workdays(dt.date(2026, 12, 31), 2) == dt.date(2027, 1, 5)


def test_an_override_outside_its_year_is_refused_and_the_input_kept(admin_client):
    response = admin_client.post(ADD, year_form("2027", ("2028-01-03", "holiday")))
    assert response.status_code == 200
    page = response.content.decode()
    assert "以下日期不在 2027 年内，请改正或放到对应年份：2028-01-03" in page
    assert 'value="2028-01-03"' in page
    assert not HolidayYear.objects.filter(year=2027).exists()


def kjt_site_admin():
    """kjt.localhost's 网站管理员 (the demo has the group, no such user)."""
    user = get_user_model().objects.create_user("kjt-test-siteadmin", password="x")
    department = provision_department(Site.objects.get(hostname="kjt.localhost"), "科学技术厅")
    user.groups.add(department.site_admins)
    return user


@pytest.mark.parametrize("username", ["kjt-editor", "kjt-reviewer1", "kjt-siteadmin"])
def test_department_users_cannot_see_or_change_the_holidays(client, username):
    HolidayYear.objects.create(year=2027, complete=True)
    client.force_login(kjt_site_admin() if username == "kjt-siteadmin" else demo_user(username))
    assert client.get(LIST).status_code in (302, 403)
    assert client.post(ADD, year_form("2028")).status_code in (302, 403)
    assert not HolidayYear.objects.filter(year=2028).exists()


def test_the_notice_for_a_deadline_in_an_unknown_year():
    with pytest.raises(UnknownHolidayYear) as raised:
        add_workdays(dt.date(2026, 12, 20), 20)
    notice = unknown_year_notice(raised.value)
    assert "2027 年的节假日安排未知：请在后台“节假日调整”中录入该年安排后重试" in notice
    assert f'href="{LIST}"' in notice
    rendered = Template("{% load workdays %}{% unknown_year_notice year %}").render(Context({"year": 2031}))
    assert rendered == unknown_year_notice(2031)
