"""Lookup by number and query code, department isolation, masking, the audit trail and the workflow steps."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from wagtail.models import ModelLogEntry

from govsite.disclosure import services
from govsite.disclosure.access import handler_sites
from govsite.disclosure.models import DisclosureRequest, Status
from govsite.disclosure.outcomes import Outcome
from govsite.workdays.calendar import WorkdayCalendar

from .helpers import new_case, pdf

pytestmark = pytest.mark.django_db
CALENDAR = WorkdayCalendar()


def views_of(case):
    content_type = ContentType.objects.get_for_model(DisclosureRequest)
    return ModelLogEntry.objects.filter(
        content_type=content_type, object_id=str(case.pk), action="govsite.disclosure.viewed"
    )


# --- lookup -----------------------------------------------------------------------------------
def lookup(client, number, code, host="kjt.localhost"):
    return client.post("/yisqgk/cx/", {"number": number, "code": code}, HTTP_HOST=host)


def test_lookup_with_the_right_code_shows_that_case_only(client, kjt_site):
    case, code = new_case(kjt_site)
    other, _ = new_case(kjt_site, description="另一位申请人的申请")
    response = lookup(client, case.number.lower(), code.lower())
    html = response.content.decode()
    assert response.status_code == 200
    assert case.number in html and "已受理" in html and "答复期限" in html
    assert other.number not in html and "另一位申请人的申请" not in html
    assert "13812345678" not in html and case.id_number not in html


def test_lookup_with_a_wrong_code_is_refused(client, kjt_site):
    case, code = new_case(kjt_site)
    response = lookup(client, case.number, "WRONGCODE123")
    assert response.status_code == 400
    assert "受理编号或查询码不正确" in response.content.decode()
    assert "已受理" not in response.content.decode()
    # The same number on another site is another case: the code does not open it there.
    assert lookup(client, case.number, code, host="jyt.localhost").status_code == 400


def test_lookups_are_rate_limited(client, settings, kjt_site):
    settings.GOVSITE_DISCLOSURE_LOOKUP_LIMIT = 3
    case, code = new_case(kjt_site)
    for _ in range(3):
        assert lookup(client, case.number, "WRONGCODE123").status_code == 400
    response = lookup(client, case.number, code)
    assert response.status_code == 429 and "操作过于频繁" in response.content.decode()


def test_guessing_one_number_from_many_addresses_locks_it(client, kjt_site, settings):
    settings.GOVSITE_DISCLOSURE_LOOKUP_LIMIT = 0
    case, code = new_case(kjt_site)
    for i in range(20):
        client.post(
            "/yisqgk/cx/",
            {"number": case.number, "code": f"GUESS{i:07d}"},
            HTTP_HOST="kjt.localhost",
            REMOTE_ADDR=f"10.0.0.{i}",
        )
    assert lookup(client, case.number, code).status_code == 400


def test_reply_and_attachments_are_shown_to_the_applicant(client, kjt_site, kjt_handler):
    case, code = new_case(kjt_site, received_on="2025-09-26")
    services.reply(
        case,
        kjt_handler,
        Outcome.DISCLOSED,
        "现将立项清单提供给您。",
        dt.date(2025, 10, 20),
        [pdf("清单.pdf")],
    )
    html = lookup(client, case.number, code).content.decode()
    assert "政府信息公开申请答复书" in html and "现将立项清单提供给您" in html and "予以公开" in html
    attachment = case.attachments.get()
    assert f"/yisqgk/fj/{attachment.pk}/" in html
    assert client.get(f"/yisqgk/fj/{attachment.pk}/", HTTP_HOST="kjt.localhost").status_code == 200
    # Another browser (no successful lookup) cannot fetch it, nor the file under /media/.
    client.cookies.clear()
    assert client.get(f"/yisqgk/fj/{attachment.pk}/", HTTP_HOST="kjt.localhost").status_code == 404
    assert client.get(f"/media/{attachment.file.name}", HTTP_HOST="kjt.localhost").status_code == 404


# --- the admin ----------------------------------------------------------------------------------
def test_provisioning_gives_site_admins_the_permission(kjt_site, jyt_site, kjt_handler):
    assert list(handler_sites(kjt_handler)) == [kjt_site]


def test_another_departments_handler_gets_404(client, kjt_site, jyt_handler):
    case, _ = new_case(kjt_site)
    client.force_login(jyt_handler)
    for url in (
        f"/admin/disclosure/{case.pk}/",
        f"/admin/disclosure/{case.pk}/file/id/",
        f"/admin/disclosure/{case.pk}/reply/",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        f"/admin/disclosure/{case.pk}/step/extend/",
        {"days": 5, "approver": "x", "reason": "y", "on": "2026-01-05"},
    )
    assert response.status_code == 404
    assert case.number not in client.get("/admin/disclosure/").content.decode()
    assert not views_of(case).exists()


def test_list_masks_personal_data(client, kjt_site, kjt_handler):
    case, _ = new_case(kjt_site, id_number="150102199003071234", id_type="passport")
    client.force_login(kjt_handler)
    html = client.get("/admin/disclosure/").content.decode()
    assert case.number in html
    assert "张**" in html and "1501**********1234" in html and "138****5678" in html
    assert "张三丰" not in html and "150102199003071234" not in html and "13812345678" not in html


def test_every_detail_view_is_audited(client, kjt_site, kjt_handler):
    case, _ = new_case(kjt_site)
    client.force_login(kjt_handler)
    for _ in range(2):
        html = client.get(f"/admin/disclosure/{case.pk}/").content.decode()
        assert "张三丰" in html and "13812345678" in html
    entries = views_of(case)
    assert entries.count() == 2 and {e.user for e in entries} == {kjt_handler}
    assert all(
        "张三丰" not in (e.label + str(e.data)) for e in ModelLogEntry.objects.filter(object_id=str(case.pk))
    )
    assert client.get(f"/admin/disclosure/{case.pk}/file/id/").status_code == 200


def test_workflow_supplement_consultation_extension_reply(client, kjt_site, kjt_handler):
    case, _ = new_case(kjt_site, received_on="2025-09-22")
    client.force_login(kjt_handler)
    step = f"/admin/disclosure/{case.pk}/step/"
    # Too late for a 补正告知: the 7 working days ended on 2025-09-30.
    response = client.post(step + "supplement/", {"items": "请写明文号", "on": "2025-10-09"})
    assert response.status_code == 400 and "2025-09-30" in response.content.decode()
    assert client.post(step + "supplement/", {"items": "请写明文号", "on": "2025-09-29"}).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.SUPPLEMENT
    with pytest.raises(services.TransitionError):
        services.request_supplement(case, kjt_handler, "again", dt.date(2025, 9, 30), CALENDAR)
    assert client.post(step + "supplement_received/", {"on": "2025-10-09"}).status_code == 302
    case.refresh_from_db()
    assert case.clock_start == dt.date(2025, 10, 9)
    assert client.post(step + "consult/", {"party": "某公司", "on": "2025-10-10"}).status_code == 302
    assert client.post(step + "consultation_ended/", {"on": "2025-10-17"}).status_code == 302
    response = client.post(
        step + "extend/", {"days": 21, "approver": "李主任", "reason": "数量大", "on": "2025-10-20"}
    )
    assert response.status_code == 400 and "20" in response.content.decode()
    assert (
        client.post(
            step + "extend/", {"days": 20, "approver": "李主任", "reason": "数量大", "on": "2025-10-20"}
        ).status_code
        == 302
    )
    response = client.post(
        step + "reply/", {"outcome": "denied_process", "text": "属于过程性信息。", "on": "2025-11-20"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.REPLIED and case.outcome_display == "不予公开：属于四类过程性信息"
    assert "政府信息公开申请答复书" in case.reply_html and "2025年10月9日 收到补正材料" in case.reply_html
    assert "属于过程性信息。" in client.get(f"/admin/disclosure/{case.pk}/reply/").content.decode()


def test_no_supplement_by_the_deadline_is_abandonment(kjt_site, kjt_handler):
    case, _ = new_case(kjt_site, received_on="2025-09-22")
    services.request_supplement(case, kjt_handler, "请写明文号", dt.date(2025, 9, 29), CALENDAR)
    assert case.supplement_due == dt.date(
        2025, 10, 27
    )  # 15 working days; 10-01 … 10-08 not counted, Sat 10-11 is
    with pytest.raises(services.TransitionError):
        services.abandon(case, kjt_handler, dt.date(2025, 10, 27))
    with pytest.raises(services.TransitionError):
        services.receive_supplement(case, kjt_handler, dt.date(2025, 10, 28))
    services.abandon(case, kjt_handler, dt.date(2025, 10, 28))
    assert case.status == Status.CLOSED and case.outcome == Outcome.OTHER_NO_SUPPLEMENT


def test_due_list_and_unknown_year_notice(client, kjt_site, kjt_handler, jyt_site):
    import django.utils.timezone

    due, _ = new_case(kjt_site, received_on="2026-11-20")
    calm, _ = new_case(kjt_site, received_on="2026-12-01")
    unknown, _ = new_case(kjt_site, received_on="2026-12-15")
    foreign, _ = new_case(jyt_site, received_on="2026-11-20")
    client.force_login(kjt_handler)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(django.utils.timezone, "localdate", lambda *a: dt.date(2026, 12, 14))
        html = client.get("/admin/disclosure/?due=1").content.decode()
        detail = client.get(f"/admin/disclosure/{unknown.pk}/").content.decode()

    def listed(case):
        return f'href="/admin/disclosure/{case.pk}/"' in html

    assert listed(due) and not listed(calm) and not listed(foreign)
    assert "剩余 4 个工作日" in html  # due 2026-12-18
    assert listed(unknown) and "2027 年的节假日安排未知" in html
    assert "2027 年的节假日安排未知" in detail


def test_the_cluster_due_list_shows_every_sites_overdue_cases_to_platform_administrators(
    client, django_user_model, kjt_site, jyt_site, jyt_handler
):
    import django.utils.timezone

    overdue, _ = new_case(jyt_site, received_on="2026-10-09")
    due, _ = new_case(kjt_site, received_on="2026-11-20")
    calm = DisclosureRequest.objects.get(pk=new_case(kjt_site, received_on="2026-12-07")[0].pk)
    newer = []
    for n in range(500):  # many newer open cases across the cluster: the oldest must still be listed
        calm.pk, calm.number = None, f"YSQ-2026-{800000 + n}"
        newer.append(
            DisclosureRequest(**{f.attname: getattr(calm, f.attname) for f in calm._meta.concrete_fields})
        )
    DisclosureRequest.objects.bulk_create(newer)
    admin = django_user_model.objects.create_superuser("cluster-admin", password="x")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(django.utils.timezone, "localdate", lambda *a: dt.date(2026, 12, 14))
        client.force_login(admin)
        cluster = client.get("/admin/disclosure/?due=1").content.decode()
        client.force_login(jyt_handler)
        own = client.get("/admin/disclosure/?due=1").content.decode()
    for case in (overdue, due):
        assert f'href="/admin/disclosure/{case.pk}/"' in cluster
    assert '<th scope="col">站点</th>' in cluster and "内蒙古自治区教育厅" in cluster
    assert (
        f'href="/admin/disclosure/{overdue.pk}/"' in own and f'href="/admin/disclosure/{due.pk}/"' not in own
    )
    assert client.get(f"/admin/disclosure/{due.pk}/").status_code == 404


def test_demo_cases_are_idempotent_and_in_every_state(kjt_site):
    from govsite.disclosure.demo import CASES, build_demo_cases

    assert build_demo_cases(kjt_site) == 0  # the session's demo already made them
    demo = DisclosureRequest.objects.filter(site=kjt_site, number__contains="-9000")
    assert demo.count() == len(CASES)
    assert {Status.REPLIED, Status.SUPPLEMENT, Status.CONSULTING, Status.REGISTERED, Status.CLOSED} == set(
        demo.values_list("status", flat=True)
    )


def test_a_file_missing_on_disk_is_a_404_not_a_500(client, kjt_site, kjt_handler):
    case, _ = new_case(kjt_site)
    case.id_document.storage.delete(case.id_document.name or "")
    client.force_login(kjt_handler)
    assert client.get(f"/admin/disclosure/{case.pk}/file/id/").status_code == 404


def test_each_step_ends_on_the_case_saying_what_happened(client, kjt_site, kjt_handler):
    """Like 批准 → "已批准，已转复审": the handler reads what the step did, not a bare "已保存"."""
    case, _ = new_case(kjt_site, received_on="2025-09-22")
    client.force_login(kjt_handler)
    step = f"/admin/disclosure/{case.pk}/step/"
    for name, data, said in [
        ("supplement", {"items": "请写明文号", "on": "2025-09-29"}, "已记录补正告知，等待申请人补正"),
        ("supplement_received", {"on": "2025-10-09"}, "已收到补正，答复期限重新计算"),
        ("consult", {"party": "某公司", "on": "2025-10-10"}, "已开始征求第三方意见"),
        ("consultation_ended", {"on": "2025-10-17"}, "已收到第三方意见，答复期限继续计算"),
        ("extend", {"days": 5, "approver": "李主任", "reason": "数量大", "on": "2025-10-20"}, "已延期答复"),
        ("reply", {"outcome": "denied_process", "text": "过程性信息。", "on": "2025-11-20"}, "已答复"),
    ]:
        response = client.post(step + f"{name}/", data, follow=True)
        assert response.redirect_chain[-1][0] == f"/admin/disclosure/{case.pk}/", name
        assert f"{said}" in response.content.decode() and case.number in response.content.decode(), name
