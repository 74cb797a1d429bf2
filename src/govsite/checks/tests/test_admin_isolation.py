"""A department's site administrator keeps only their own site's 错敏词库 and 领导 list.

Every view that loads a row by id (edit, delete, copy, history, usage, bulk delete) is checked like
the list, and platform-wide word rules are read-only below the platform administrator.
"""

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import Site

from govsite.checks.models import Leader, WordRule

pytestmark = pytest.mark.django_db

DENIED = (302, 403, 404)
LEADERS = "/admin/snippets/govsite_checks/leader"
RULES = "/admin/snippets/govsite_checks/wordrule"


def site(host: str) -> Site:
    return Site.objects.get(hostname=host)


@pytest.fixture
def rows() -> dict[str, Any]:
    jyt = site("jyt.localhost")
    return {
        "own_leader": Leader.objects.filter(site=site("kjt.localhost")).first(),
        "other_leader": Leader.objects.create(site=jyt, name="赵教育", title="厅长"),
        "other_rule": WordRule.objects.create(site=jyt, kind="wording", word="教育厅专用词", suggestion="x"),
        "platform_rule": WordRule.objects.get(site__isnull=True, word="中华民国"),
    }


def leader_form(leader: Leader, **changes: Any) -> dict[str, Any]:
    data = {"site": leader.site_id, "name": leader.name, "title": leader.title, "sort_order": 0}
    return {**data, **changes}


def rule_form(rule: WordRule, **changes: Any) -> dict[str, Any]:
    data = {
        "site": rule.site_id or "",
        "kind": rule.kind,
        "word": rule.word,
        "suggestion": rule.suggestion,
        "severity": rule.severity,
    }
    return {**data, **changes}


def test_lists_show_own_and_platform_rows_only(kjt_admin: Client, rows: dict[str, Any]) -> None:
    leaders = kjt_admin.get(f"{LEADERS}/").content.decode()
    assert rows["own_leader"].name in leaders
    assert "赵教育" not in leaders
    rules = kjt_admin.get(f"{RULES}/").content.decode()
    assert "中华民国" in rules  # platform-wide rules stay visible
    assert "教育厅专用词" not in rules
    # …but read-only: no edit or delete link for them.
    assert f"{RULES}/edit/{rows['platform_rule'].pk}/" not in rules
    assert f"{RULES}/delete/{rows['platform_rule'].pk}/" not in rules


@pytest.mark.parametrize("view", ["edit", "delete", "copy", "history", "usage"])
def test_another_departments_rows_cannot_be_opened(
    kjt_admin: Client, rows: dict[str, Any], view: str
) -> None:
    for url in (f"{LEADERS}/{view}/{rows['other_leader'].pk}/", f"{RULES}/{view}/{rows['other_rule'].pk}/"):
        response = kjt_admin.get(url)
        assert response.status_code in DENIED, url
        assert "赵教育" not in response.content.decode()


def test_another_departments_leader_cannot_be_changed_or_deleted(
    kjt_admin: Client, rows: dict[str, Any]
) -> None:
    other = rows["other_leader"]
    response = kjt_admin.post(f"{LEADERS}/edit/{other.pk}/", leader_form(other, name="篡改"))
    assert response.status_code in DENIED
    assert Leader.objects.get(pk=other.pk).name == "赵教育"
    assert kjt_admin.post(f"{LEADERS}/delete/{other.pk}/").status_code in DENIED
    kjt_admin.post(f"/admin/bulk/govsite_checks/leader/delete/?id={other.pk}")
    assert Leader.objects.filter(pk=other.pk).exists()


def test_platform_rules_are_read_only_for_site_admins(kjt_admin: Client, rows: dict[str, Any]) -> None:
    rule = rows["platform_rule"]
    assert kjt_admin.get(f"{RULES}/edit/{rule.pk}/").status_code in DENIED
    response = kjt_admin.post(f"{RULES}/edit/{rule.pk}/", rule_form(rule, severity="warning"))
    assert response.status_code in DENIED
    assert WordRule.objects.get(pk=rule.pk).severity == "blocking"
    assert kjt_admin.get(f"{RULES}/delete/{rule.pk}/").status_code in DENIED
    assert kjt_admin.post(f"{RULES}/delete/{rule.pk}/").status_code in DENIED
    kjt_admin.post(f"/admin/bulk/govsite_checks/wordrule/delete/?id={rule.pk}")
    assert WordRule.objects.filter(pk=rule.pk).exists()


def test_site_admin_keeps_their_own_lists(kjt_admin: Client, rows: dict[str, Any]) -> None:
    own = rows["own_leader"]
    assert kjt_admin.get(f"{LEADERS}/edit/{own.pk}/").status_code == 200
    assert kjt_admin.get(f"{LEADERS}/history/{own.pk}/").status_code == 200
    assert kjt_admin.get(f"{LEADERS}/usage/{own.pk}/").status_code == 200
    assert kjt_admin.get(f"{LEADERS}/copy/{own.pk}/").status_code == 200
    response = kjt_admin.post(f"{LEADERS}/edit/{own.pk}/", leader_form(own, title="党组书记"))
    assert response.status_code == 302
    assert Leader.objects.get(pk=own.pk).title == "党组书记"
    assert kjt_admin.get(f"{LEADERS}/delete/{own.pk}/").status_code == 200
    kjt_admin.post(f"/admin/bulk/govsite_checks/leader/delete/?id={own.pk}")
    assert not Leader.objects.filter(pk=own.pk).exists()


def test_platform_administrator_keeps_full_access(client: Client, rows: dict[str, Any]) -> None:
    client.force_login(get_user_model().objects.get(username="platform-admin"))
    rule, other = rows["platform_rule"], rows["other_leader"]
    # Filtered to the other site: the platform list (the starter library) fills the first pages.
    assert "教育厅专用词" in client.get(f"{RULES}/?site={rows['other_rule'].site_id}").content.decode()
    assert client.get(f"{RULES}/edit/{rule.pk}/").status_code == 200
    response = client.post(f"{RULES}/edit/{rule.pk}/", rule_form(rule, severity="warning"))
    assert response.status_code == 302
    assert WordRule.objects.get(pk=rule.pk).severity == "warning"
    assert client.get(f"{LEADERS}/history/{other.pk}/").status_code == 200
    assert client.post(f"{LEADERS}/delete/{other.pk}/").status_code == 302
    assert not Leader.objects.filter(pk=other.pk).exists()
