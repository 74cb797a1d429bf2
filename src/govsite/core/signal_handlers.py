"""After every migrate: give the admin's built-in records Chinese names. And the audit trail's signals.

Django names permissions "Can add <model>" when it creates them, and Wagtail's migrations create
the groups "Editors"/"Moderators", the workflow and task "Moderators approval", and the root
collection and root page "Root". They are rows, not messages, so no catalogue translates them; the
group editor, the user form, the collection chooser and the explorer show them as they are stored.
"""

from typing import Any

from axes.signals import user_locked_out
from django.apps import apps as global_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import ValidationError
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import translation
from wagtail.models import (
    BaseLogEntry,
    GroupCollectionPermission,
    GroupPagePermission,
    ModelLogEntry,
    PageLogEntry,
    ReferenceIndex,
)

from . import audit
from .bulk import defer_reference_index, in_bulk_build
from .roles import ROLES, check_roles

DEFAULT_ACTIONS = {"add": "可添加", "change": "可修改", "delete": "可删除", "view": "可查看"}
# Wagtail's own permissions, by codename.
PERMISSION_NAMES = {
    "access_admin": "可访问管理后台",
    "bulk_delete_page": "可删除含子页面的页面",
    "lock_page": "可锁定/解锁自己锁定的页面",
    "publish_page": "可发布页面",
    "unlock_page": "可解锁任何页面",
    "choose_document": "可选用文档",
    "choose_image": "可选用图片",
}
RENAMES: dict[str, dict[str, str]] = {
    "auth.Group": {"Moderators": "审核员（全平台）", "Editors": "编辑（全平台）"},
    "wagtailcore.Task": {"Moderators approval": "审核员审批"},
    "wagtailcore.Workflow": {"Moderators approval": "审核员审批"},
    "wagtailcore.Collection": {"Root": "全部文件"},
}


def chinese_permission_name(codename: str, model: Any) -> str | None:
    """The Chinese name of one permission, or None to keep the stored one (our own are Chinese)."""
    if codename in PERMISSION_NAMES:
        return PERMISSION_NAMES[codename]
    action = codename.split("_", 1)[0]
    if action in DEFAULT_ACTIONS and model is not None:
        return DEFAULT_ACTIONS[action] + str(model._meta.verbose_name)
    return None


def installed_model(app_label: str, model_name: str) -> Any:
    """The current model class (migration states have no verbose names in Chinese), or None."""
    try:
        return global_apps.get_model(app_label, model_name)
    except LookupError:
        return None


def name_permissions(apps: Any, app_label: str) -> None:
    permission_model = apps.get_model("auth", "Permission")
    permissions = permission_model.objects.filter(content_type__app_label=app_label)
    for permission in permissions.select_related("content_type"):
        model = installed_model(permission.content_type.app_label, permission.content_type.model)
        name = chinese_permission_name(permission.codename, model)
        if name and name != permission.name:
            permission.name = name[: permission_model._meta.get_field("name").max_length]
            permission.save(update_fields=["name"])


def rename_builtin_records(apps: Any) -> None:
    for label, names in RENAMES.items():
        model = apps.get_model(label)
        for english, chinese in names.items():
            model.objects.filter(name=english).update(name=chinese)
    # The tree's root page: the explorer's top level, above every department site.
    apps.get_model("wagtailcore", "Page").objects.filter(depth=1, title="Root").update(
        title="全部站点", draft_title="全部站点"
    )


@receiver(post_migrate)
def chinese_admin_records(sender: Any, apps: Any = None, using: str = "default", **kwargs: Any) -> None:
    """For each app after a migrate: its permissions (created first: this handler may run before
    django.contrib.auth's, which only adds the missing ones), and Wagtail's records once. Idempotent."""
    if apps is None:
        return
    try:
        apps.get_model("auth", "Permission")
    except LookupError:  # a partial migrate (`migrate <app>`) before auth's tables exist
        return
    create_permissions(sender, verbosity=0, using=using, apps=apps)
    with translation.override("zh-hans"):
        name_permissions(apps, sender.label)
    if sender.label == "wagtailcore":
        rename_builtin_records(apps)


# -- The audit trail (core/audit.py): what every user does to accounts, roles and permissions --

User = get_user_model()
ACCOUNT_FIELDS = ("username", "email", "first_name", "last_name", "is_active", "is_staff", "is_superuser")


@receiver(user_logged_in)
def audit_login(sender: Any, request: HttpRequest | None = None, user: Any = None, **kwargs: Any) -> None:
    audit.record("auth.login", user=user, request=request, obj=user)


@receiver(user_logged_out)
def audit_logout(sender: Any, request: HttpRequest | None = None, user: Any = None, **kwargs: Any) -> None:
    audit.record("auth.logout", user=user, request=request, obj=user)


@receiver(user_login_failed)
def audit_login_failed(
    sender: Any, credentials: dict[str, Any] | None = None, request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """The name that was tried (never the password: Django has already cleansed `credentials`)."""
    tried = str((credentials or {}).get(User.USERNAME_FIELD, ""))[:150]
    audit.record("auth.login_failed", request=request, outcome=audit.FAILURE, detail={"username": tried})


@receiver(user_locked_out)
def audit_locked_out(
    sender: Any, request: HttpRequest | None = None, username: str = "", **kwargs: Any
) -> None:
    audit.record(
        "auth.locked_out", request=request, outcome=audit.FAILURE, detail={"username": str(username)[:150]}
    )


@receiver(pre_save, sender=User)
def remember_account(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    """The account as stored, to name what a save changes (a login's last_login alone is not an
    account change: the login has its own record)."""
    if instance.is_superuser:
        check_roles(user_role_names(instance), is_superuser=True)
    if instance.pk is None or (update_fields and set(update_fields) <= {"last_login"}):
        instance._audit_before = None
        return
    instance._audit_before = User.objects.filter(pk=instance.pk).values(*ACCOUNT_FIELDS, "password").first()


@receiver(post_save, sender=User)
def audit_account(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    if created:
        audit.record("account.create", obj=instance)
        return
    before = getattr(instance, "_audit_before", None)
    if not before:
        return
    changed = [name for name in ACCOUNT_FIELDS if before[name] != getattr(instance, name)]
    if "is_active" in changed:
        audit.record("account.deactivate" if not instance.is_active else "account.activate", obj=instance)
        changed.remove("is_active")
    if before["password"] != instance.password:
        audit.record("account.password_change", obj=instance)
    if changed:
        audit.record("account.change", obj=instance, detail={"fields": changed})


@receiver(post_delete, sender=User)
def audit_account_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    audit.record("account.delete", obj=instance)


def user_role_names(user: Any) -> list[str]:
    return list(user.groups.values_list("name", flat=True)) if user.pk else []


@receiver(m2m_changed, sender=User.groups.through)
def guard_and_audit_user_groups(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    """三员分立 from any code path (the shell, the ORM, the admin): a user joins at most one of the
    three roles, and never as a superuser. Then the change of roles is audited."""
    if action == "pre_add" and pk_set:
        if reverse:  # group.user_set.add(users)
            if instance.name in ROLES:
                for user in User.objects.filter(pk__in=pk_set):
                    check_roles([*user_role_names(user), instance.name], is_superuser=user.is_superuser)
        else:
            added = Group.objects.filter(pk__in=pk_set).values_list("name", flat=True)
            check_roles([*user_role_names(instance), *added], is_superuser=instance.is_superuser)
    _audit_m2m("permission.user_groups", instance, action, reverse, pk_set)


@receiver(m2m_changed, sender=User.user_permissions.through)
def audit_user_permissions(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    _audit_m2m("permission.user_permissions", instance, action, reverse, pk_set)


@receiver(m2m_changed, sender=Group.permissions.through)
def audit_group_permissions(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    _audit_m2m("permission.group_permissions", instance, action, reverse, pk_set)


def _audit_m2m(event: str, instance: Any, action: str, reverse: bool, pk_set: set[int] | None) -> None:
    """One record per change of a relation: which side changed, what was added or removed (by name)."""
    if action == "pre_clear":  # remember what a clear() removes; the relation is empty afterwards
        instance._audit_cleared = _names(instance, event, reverse, None)
        return
    if action not in ("post_add", "post_remove", "post_clear") or (action != "post_clear" and not pk_set):
        return
    names = getattr(instance, "_audit_cleared", []) if action == "post_clear" else None
    if names is None:
        names = _names(instance, event, reverse, pk_set)
    verb = {"post_add": "add", "post_remove": "remove", "post_clear": "clear"}[action]
    audit.record(event, obj=instance, detail={"action": verb, "items": names})


def _names(instance: Any, event: str, reverse: bool, pk_set: set[int] | None) -> list[str]:
    """The other side's names: users, groups, or permissions (as app_label.codename)."""
    if event == "permission.user_groups":
        model: Any = User if reverse else Group
    elif reverse:
        model = User if event == "permission.user_permissions" else Group
    else:
        model = Permission
    rows = model.objects.all() if pk_set is not None else _related(instance, model)
    if pk_set is not None:
        rows = rows.filter(pk__in=pk_set)
    if model is Permission:
        return sorted(f"{p.content_type.app_label}.{p.codename}" for p in rows.select_related("content_type"))
    return sorted(str(row) for row in rows)


def _related(instance: Any, model: Any) -> Any:
    if isinstance(instance, User):
        return instance.groups.all() if model is Group else instance.user_permissions.all()
    if isinstance(instance, Group):
        return instance.user_set.all() if model is User else instance.permissions.all()
    return (instance.user_set if model is User else instance.group_set).all()


@receiver(pre_save, sender=Group)
def guard_role_names(sender: Any, instance: Group, **kwargs: Any) -> None:
    """The three roles are known by name: renaming one would silently end 三员分立."""
    if instance.pk is None:
        return
    stored = Group.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
    if stored in ROLES and instance.name != stored:
        raise ValidationError(f"“{stored}”是三员分立的内置角色，不能改名。")


@receiver(post_save, sender=Group)
def audit_group(sender: Any, instance: Group, created: bool = False, **kwargs: Any) -> None:
    audit.record("role.create" if created else "role.change", obj=instance)


@receiver(post_delete, sender=Group)
def audit_group_delete(sender: Any, instance: Group, **kwargs: Any) -> None:
    audit.record("role.delete", obj=instance)


@receiver(post_save, sender=GroupPagePermission)
@receiver(post_save, sender=GroupCollectionPermission)
@receiver(post_delete, sender=GroupPagePermission)
@receiver(post_delete, sender=GroupCollectionPermission)
def audit_object_permission(sender: Any, instance: Any, created: bool | None = None, **kwargs: Any) -> None:
    """A group's right on a page subtree or a collection, given (post_save) or taken (post_delete)."""
    target = instance.page if sender is GroupPagePermission else instance.collection
    kind = "page" if sender is GroupPagePermission else "collection"
    audit.record(
        f"permission.{kind}",
        obj=instance.group,
        detail={
            "action": "remove" if created is None else "add",
            kind: f"{target.pk} {target}",
            "permission": instance.permission.codename,
        },
    )


@receiver(post_save, sender=PageLogEntry)
@receiver(post_save, sender=ModelLogEntry)
def mirror_wagtail_log(sender: Any, instance: BaseLogEntry, created: bool = False, **kwargs: Any) -> None:
    """Wagtail's log entries (publish, unpublish, 撤稿, 紧急发布, the audited views of 依申请公开 cases
    and 留言, …) into the hash-chained trail: the apps keep logging with `wagtail.log_actions.log`."""
    if not created:
        return
    content_type = instance.content_type
    object_id = str(instance.page_id if isinstance(instance, PageLogEntry) else instance.object_id)
    audit.record(
        instance.action,
        user=instance.user,
        object_type=f"{content_type.app_label}.{content_type.model}" if content_type else "",
        object_id=object_id,
        label=instance.label,
        detail=instance.data or {},
    )


@receiver(post_save, dispatch_uid="govsite_core_bulk_references")
def defer_reference_index_in_bulk(sender: type, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """In a bulk build (core/bulk.py) the reference index is updated once per object, at its end."""
    if not raw and in_bulk_build() and type(instance) in ReferenceIndex.tracked_models:
        defer_reference_index(instance)


@receiver(post_delete, dispatch_uid="govsite_core_bulk_references_deleted")
def remove_references_in_bulk(sender: type, instance: Any, **kwargs: Any) -> None:
    """Wagtail's receiver is off in a bulk build: a deleted object leaves the reference index at once."""
    if in_bulk_build() and type(instance) in ReferenceIndex.tracked_models:
        ReferenceIndex.remove_for_object(instance)
        ReferenceIndex.remove_references_to(instance)
