"""三员分立 (等保 2.0 E7): the system, security and audit administrators, three mutually exclusive roles.

Each role is a Django group with exactly the permissions of its job:

- 系统管理员 runs the platform: sites, user accounts (create, change, deactivate), site settings;
- 安全管理员 sets the security policy: roles (groups) and their permissions, and who holds which role;
- 审计管理员 reads and exports the audit trail (govsite.core.audit), nothing else.

A user holds at most one of them (`check_roles`): the admin's user form shows the conflict as a form
error, and the m2m guard in signal_handlers refuses it from the shell and the ORM. None of them is a
superuser: a superuser account is for installation and emergencies only. The content roles (editors,
初审/复审/终审, site admins) are separate groups and unaffected.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError

SYSTEM_ADMIN = "系统管理员"
SECURITY_ADMIN = "安全管理员"
AUDIT_ADMIN = "审计管理员"
ROLES = (SYSTEM_ADMIN, SECURITY_ADMIN, AUDIT_ADMIN)

ACCESS_ADMIN = "wagtailadmin.access_admin"
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    SYSTEM_ADMIN: (
        ACCESS_ADMIN,
        "auth.add_user",
        "auth.change_user",
        "auth.delete_user",
        "auth.view_user",
        "wagtailcore.add_site",
        "wagtailcore.change_site",
        "wagtailcore.delete_site",
        "wagtailcore.view_site",
        "govsite_sites.change_siteprofile",
        "govsite_opengov.change_opengovsettings",
        "govsite_core.manage_background_jobs",
    ),
    SECURITY_ADMIN: (
        ACCESS_ADMIN,
        "auth.add_group",
        "auth.change_group",
        "auth.delete_group",
        "auth.view_group",
        "auth.view_user",
        "auth.change_user",
    ),
    AUDIT_ADMIN: (ACCESS_ADMIN, "govsite_core.view_auditrecord", "govsite_core.export_auditrecord"),
}
# On the user form: who may change which fields (the rest are shown read-only). Accounts belong to
# the system administrator, roles to the security administrator.
ROLE_FIELDS = ("groups", "is_superuser")
ROLE_FIELDS_PERMISSION = "auth.change_group"
ACCOUNT_FIELDS_PERMISSION = "auth.add_user"


def permission(name: str) -> Permission | None:
    app_label, codename = name.split(".", 1)
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


def ensure_roles() -> dict[str, Group]:
    """Create the three role groups with their permissions (idempotent: an existing role's
    permissions, perhaps adjusted by the security administrator, are left as they are)."""
    groups = {}
    for name, names in ROLE_PERMISSIONS.items():
        group, created = Group.objects.get_or_create(name=name)
        if created:
            group.permissions.set([p for p in map(permission, names) if p is not None])
        groups[name] = group
    return groups


def role_names(group_names: Iterable[str]) -> list[str]:
    return [name for name in group_names if name in ROLES]


def check_roles(group_names: Iterable[str], *, is_superuser: bool = False) -> None:
    """Refuse a combination of groups (and superuser status) that breaks 三员分立."""
    held = role_names(group_names)
    if len(held) > 1:
        raise ValidationError(f"三员分立：同一用户不能同时担任{'和'.join(held)}。", code="roles")
    if held and is_superuser:
        raise ValidationError(f"三员分立：{held[0]}不能是超级管理员。", code="roles")


def user_role(user: Any) -> str | None:
    held = role_names(user.groups.values_list("name", flat=True)) if user.pk else []
    return held[0] if held else None
