"""Every class of security event writes an audit record with its time, user, event, object, outcome,
IP address and user agent (等保 E6): logins, permission and account changes, publishing, exports, and
the views of personal data that 依申请公开 already logged."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client
from wagtail.models import GroupPagePermission, Page

from govsite.content.lifecycle import withdraw
from govsite.content.models import ArticlePage, Withdrawal
from govsite.core.models import AuditRecord
from govsite.testing import DEMO_PASSWORD, verified_client

pytestmark = pytest.mark.django_db

AGENT = "audit-test-agent/1.0"


def since(mark: int, event: str) -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(seq__gt=mark, event=event))


def last_seq() -> int:
    return AuditRecord.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def client() -> Client:
    """The suite's client (force_login proves the second factor) from a known address and browser."""
    return verified_client(HTTP_USER_AGENT=AGENT, REMOTE_ADDR="10.1.2.3")


def test_login_logout_and_failure(fresh_rate_limits: None) -> None:
    mark = last_seq()
    browser = client()
    browser.post("/admin/login/", {"username": "kjt-editor", "password": "wrong-password"})
    browser.post("/admin/login/", {"username": "kjt-editor", "password": DEMO_PASSWORD})
    browser.post("/admin/logout/")
    [failed] = since(mark, "auth.login_failed")
    assert (
        failed.outcome == "failure"
        and failed.detail == {"username": "kjt-editor"}
        and failed.ip == "10.1.2.3"
    )
    [login] = since(mark, "auth.login")
    assert (login.username, login.outcome, login.ip, login.user_agent) == (
        "kjt-editor",
        "success",
        "10.1.2.3",
        AGENT,
    )
    assert login.time and login.object_type == "auth.user"
    [logout] = since(mark, "auth.logout")
    assert logout.username == "kjt-editor"


def test_account_and_permission_changes() -> None:
    mark = last_seq()
    user = User.objects.create_user("newclerk", password="x")
    group = Group.objects.create(name="临时角色")
    user.groups.add(group)
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group, page=Page.objects.get(depth=2, title__contains="科学技术"), permission_type="publish"
    )
    user.is_active = False
    user.save()
    user.groups.clear()
    assert since(mark, "account.create")[0].object_label == "newclerk"
    assert since(mark, "role.create")[0].object_label == "临时角色"
    groups = since(mark, "permission.user_groups")
    assert [r.detail for r in groups] == [
        {"action": "add", "items": ["临时角色"]},
        {"action": "clear", "items": ["临时角色"]},
    ]
    assert since(mark, "permission.group_permissions")[0].detail["items"] == ["wagtailadmin.access_admin"]
    assert since(mark, "permission.page")[0].detail["permission"] == "publish_page"
    assert since(mark, "account.deactivate")[0].object_id == str(user.pk)


def test_publish_unpublish_and_withdraw() -> None:
    editor = User.objects.get(username="platform-admin")
    article = ArticlePage.objects.live().filter(title__isnull=False).first()
    mark = last_seq()
    article.save_revision(user=editor).publish(user=editor)
    article.refresh_from_db()
    withdraw(article, editor, Withdrawal.Mode.NOTICE, "信息有误")
    [published] = since(mark, "wagtail.publish")
    assert (published.username, published.object_id, published.object_label) == (
        "platform-admin",
        str(article.pk),
        article.title,
    )
    assert since(mark, "govsite.withdraw")


@pytest.mark.parametrize(
    ("username", "url"),
    [
        ("platform-admin", "/admin/reports/site-history/?export=csv"),  # Wagtail's own report exports
        ("kjt-siteadmin", "/admin/editorial/statistics/?start=2026-01-01&end=2026-01-31&export=xlsx"),
    ],
)
def test_exports_are_audited(username: str, url: str) -> None:
    """An admin export writes an `export` record naming what was exported (address and query)."""
    browser = client()
    browser.force_login(User.objects.get(username=username))
    mark = last_seq()
    response = browser.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    [export] = since(mark, "export")
    assert (export.username, export.detail["path"], export.user_agent) == (username, url, AGENT)


def test_personal_data_views_go_into_the_trail(kjt_site, kjt_handler) -> None:
    """依申请公开 logs each case view (with Wagtail's log); the same view is a hash-chained record."""
    from govsite.disclosure.tests.helpers import new_case

    case, _ = new_case(kjt_site)
    browser = client()
    browser.force_login(kjt_handler)
    mark = last_seq()
    assert browser.get(f"/admin/disclosure/{case.pk}/").status_code == 200
    [viewed] = since(mark, "govsite.disclosure.viewed")
    assert (viewed.username, viewed.object_id, viewed.ip) == (kjt_handler.username, str(case.pk), "10.1.2.3")
    assert viewed.object_label == case.number


def test_the_audit_admins_search_and_export(kjt_handler) -> None:
    from govsite.core.roles import AUDIT_ADMIN, ensure_roles

    auditor = User.objects.create_user("auditor1")
    auditor.groups.add(ensure_roles()[AUDIT_ADMIN])
    browser = client()
    browser.force_login(auditor)
    page = browser.get("/admin/audit/", {"username": "auditor1", "event": "auth"}).content.decode()
    assert "登录" in page and "auditor1" in page
    assert browser.get("/admin/audit/", {"start": "2026-02-01", "end": "2026-01-01"}).status_code == 200
    mark = last_seq()
    csv = browser.get("/admin/audit/", {"event": "account.create", "export": "csv"})
    body = b"".join(csv.streaming_content).decode()  # type: ignore[attr-defined]
    assert body.startswith("\ufeff序号,时间,用户,事件") and "auditor1" in body
    [export] = since(mark, "export")
    assert export.username == "auditor1" and "account.create" in export.detail["path"]
