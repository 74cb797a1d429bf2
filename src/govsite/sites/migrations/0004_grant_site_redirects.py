"""Existing departments: their editors and site administrators manage their own site's redirects
(重定向), as new ones do (provisioning._grant_redirect_permissions). A department's groups are the
"<部门>-编辑" and "<部门>-网站管理员" groups holding page permissions on a site's root page."""

from typing import Any

from django.db import migrations

CODENAMES = {"add_redirect": "Can add redirect", "change_redirect": "Can change redirect"}
CODENAMES["delete_redirect"] = "Can delete redirect"


def grant(apps: Any, schema_editor: Any) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Site = apps.get_model("wagtailcore", "Site")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupSitePermission = apps.get_model("wagtailcore", "GroupSitePermission")
    content_type, _ = ContentType.objects.get_or_create(app_label="wagtailredirects", model="redirect")
    permissions = [
        Permission.objects.get_or_create(content_type=content_type, codename=code, defaults={"name": name})[0]
        for code, name in CODENAMES.items()
    ]
    for site in Site.objects.all():
        rows = GroupPagePermission.objects.filter(page_id=site.root_page_id)
        groups = {row.group_id for row in rows if row.group.name.endswith(("-编辑", "-网站管理员"))}
        for group_id in groups:
            for permission in permissions:
                GroupSitePermission.objects.get_or_create(group_id=group_id, site=site, permission=permission)


class Migration(migrations.Migration):
    dependencies = [
        ("govsite_sites", "0003_site_sequence"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
