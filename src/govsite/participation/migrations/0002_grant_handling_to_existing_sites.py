"""Departments provisioned before this app: their 网站管理员 group handles their site's submissions, as
`signal_handlers.on_department_provisioned` does for new ones. The group is the one that administers the
site's settings (change_siteprofile on that site) and is named `<部门>-网站管理员`."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    config = apps.get_app_config("govsite_participation")
    config.models_module = True  # create_permissions skips an app config without models
    create_permissions(config, apps=apps, verbosity=0)
    Permission = apps.get_model("auth", "Permission")
    GroupSitePermission = apps.get_model("wagtailcore", "GroupSitePermission")
    handle = Permission.objects.get(
        content_type__app_label="govsite_participation", codename="handle_participation"
    )
    admins = GroupSitePermission.objects.filter(
        permission__codename="change_siteprofile", group__name__endswith="-网站管理员"
    )
    for row in admins:
        GroupSitePermission.objects.get_or_create(
            group_id=row.group_id, site_id=row.site_id, permission=handle
        )


class Migration(migrations.Migration):
    dependencies = [
        ("govsite_participation", "0001_participation_pages_and_submissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
