"""Site administrators decide their sites' 热词: existing `<部门>-网站管理员` groups (those holding
change_siteprofile for a site) get the hot-word permissions that provisioning gives new ones."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["add_hotword", "change_hotword", "delete_hotword", "view_hotword"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("govsite_search")
    app_config.models_module = True  # permissions are otherwise created only after every migration
    create_permissions(app_config, apps=apps, verbosity=0)
    Permission = apps.get_model("auth", "Permission")
    GroupSitePermission = apps.get_model("wagtailcore", "GroupSitePermission")
    permissions = list(
        Permission.objects.filter(content_type__app_label="govsite_search", codename__in=CODENAMES)
    )
    site_admins = GroupSitePermission.objects.filter(permission__codename="change_siteprofile")
    for group_id in set(site_admins.values_list("group_id", flat=True)):
        apps.get_model("auth", "Group").objects.get(pk=group_id).permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("govsite_search", "0005_hot_word_approval"),
        ("wagtailcore", "0095_groupsitepermission"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
