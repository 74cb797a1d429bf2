"""Existing departments: their 网站管理员 groups handle their sites' 找错 reports, as new ones do
(signal_handlers.on_department_provisioned). A group is a department's site administrators when it is
named "<部门>-网站管理员" and may change the site's settings (sites.provisioning)."""

from typing import Any

from django.db import migrations


def grant(apps: Any, schema_editor: Any) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    GroupSitePermission = apps.get_model("wagtailcore", "GroupSitePermission")
    content_type, _ = ContentType.objects.get_or_create(app_label="govsite_citizens", model="errorreport")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="handle_errorreport", defaults={"name": "处理网站找错"}
    )
    admins = GroupSitePermission.objects.filter(
        permission__codename="change_siteprofile", group__name__endswith="-网站管理员"
    )
    for row in admins:
        GroupSitePermission.objects.get_or_create(
            group_id=row.group_id, site_id=row.site_id, permission=permission
        )


class Migration(migrations.Migration):
    dependencies = [
        ("govsite_citizens", "0001_public_accounts_error_reports"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
