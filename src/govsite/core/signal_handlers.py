"""After every migrate: give the admin's built-in records Chinese names.

Django names permissions "Can add <model>" when it creates them, and Wagtail's migrations create
the groups "Editors"/"Moderators", the workflow and task "Moderators approval", and the root
collection and root page "Root". They are rows, not messages, so no catalogue translates them; the
group editor, the user form, the collection chooser and the explorer show them as they are stored.
"""

from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db.models.signals import post_migrate
from django.dispatch import receiver
from django.utils import translation

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
