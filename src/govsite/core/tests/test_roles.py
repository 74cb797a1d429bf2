"""三员分立 (等保 E7): the system, security and audit administrators are mutually exclusive in the ORM,
the shell and the admin, none is a superuser, and a permission matrix pins what each can reach."""

import contextlib
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from wagtail.models import Site

from govsite.core.roles import AUDIT_ADMIN, ROLES, SECURITY_ADMIN, SYSTEM_ADMIN, ensure_roles
from govsite.testing import verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins(capsys: pytest.CaptureFixture[str]) -> dict[str, User]:
    """The first three administrators, as `govsite create-admins --generate` makes them."""
    call_command("create-admins", "--generate")
    out = capsys.readouterr().out
    assert all(role in out for role in ROLES) and "密码：" in out
    names = {SYSTEM_ADMIN: "sys-officer", SECURITY_ADMIN: "sec-officer", AUDIT_ADMIN: "audit-officer"}
    return {role: User.objects.get(username=name) for role, name in names.items()}


def matrix() -> dict[str, tuple[bool, bool, bool]]:
    """Admin address → reachable by (系统管理员, 安全管理员, 审计管理员)."""
    site = Site.objects.get(is_default_site=True)
    home = site.root_page_id
    return {
        "/admin/": (True, True, True),
        "/admin/users/": (True, True, False),
        "/admin/users/new/": (True, False, False),
        "/admin/groups/": (False, True, False),
        "/admin/groups/new/": (False, True, False),
        "/admin/sites/": (True, False, False),
        f"/admin/sites/edit/{site.pk}/": (True, False, False),
        f"/admin/settings/govsite_sites/siteprofile/{site.pk}/": (True, False, False),
        "/admin/audit/": (False, False, True),
        "/admin/audit/?export=csv": (False, False, True),
        "/admin/jobs/": (True, False, False),
        f"/admin/pages/{home}/edit/": (False, False, False),
        "/admin/documents/": (False, False, False),
        "/admin/disclosure/": (False, False, False),
    }


def test_permission_matrix(admins: dict[str, User]) -> None:
    found = {}
    for url in matrix():
        reached = []
        for role in (SYSTEM_ADMIN, SECURITY_ADMIN, AUDIT_ADMIN):
            client = verified_client()
            client.force_login(admins[role])
            reached.append(client.get(url).status_code == 200)
        found[url] = tuple(reached)
    assert found == matrix()
    assert not any(user.is_superuser for user in admins.values())


@contextlib.contextmanager
def refused(words: str) -> Iterator[None]:
    """The guard's ValidationError; the savepoint it broke is rolled back so the test goes on."""
    with pytest.raises(ValidationError, match=words), transaction.atomic():
        yield


def test_roles_exclude_each_other_in_the_orm(admins: dict[str, User]) -> None:
    groups = {group.name: group for group in Group.objects.filter(name__in=ROLES)}
    system = admins[SYSTEM_ADMIN]
    with refused("三员分立"):
        system.groups.add(groups[AUDIT_ADMIN])
    with refused("三员分立"):
        groups[SECURITY_ADMIN].user_set.add(system)
    fresh = User.objects.create_user("both")
    with refused("三员分立"):
        fresh.groups.add(groups[SYSTEM_ADMIN], groups[AUDIT_ADMIN])
    system.is_superuser = True
    with refused("超级管理员"):
        system.save()
    with refused("三员分立"):
        User.objects.get(username="platform-admin").groups.add(groups[AUDIT_ADMIN])  # the demo's superuser
    groups[AUDIT_ADMIN].name = "审计员"
    with refused("不能改名"):
        groups[AUDIT_ADMIN].save()
    assert list(system.groups.values_list("name", flat=True)) == [SYSTEM_ADMIN]


def test_the_admin_refuses_two_roles_with_a_form_error(admins: dict[str, User]) -> None:
    """The security administrator assigns roles; two of the three on one user is a form error."""
    groups = ensure_roles()
    target = User.objects.create_user("clerk", "clerk@example.com", "x", first_name="三", last_name="张")
    client = verified_client()
    client.force_login(admins[SECURITY_ADMIN])
    url = f"/admin/users/edit/{target.pk}/"
    response = client.post(url, {"groups": [groups[SYSTEM_ADMIN].pk, groups[AUDIT_ADMIN].pk]})
    assert response.status_code == 200 and "三员分立" in response.content.decode()
    assert not target.groups.exists()
    response = client.post(url, {"groups": [groups[AUDIT_ADMIN].pk]})
    assert response.status_code == 302, response.context["form"].errors
    assert list(target.groups.values_list("name", flat=True)) == [AUDIT_ADMIN]


def test_the_system_administrator_cannot_assign_roles(admins: dict[str, User]) -> None:
    groups = ensure_roles()
    target = User.objects.create_user("clerk2", password="x")
    client = verified_client()
    client.force_login(admins[SYSTEM_ADMIN])
    data = {
        "username": "clerk2",
        "email": "c@example.com",
        "first_name": "四",
        "last_name": "李",
        "is_active": "on",
    }
    response = client.post(f"/admin/users/edit/{target.pk}/", {**data, "groups": [groups[AUDIT_ADMIN].pk]})
    assert response.status_code == 302, response.context["form"].errors
    target.refresh_from_db()
    assert target.email == "c@example.com" and not target.groups.exists()
