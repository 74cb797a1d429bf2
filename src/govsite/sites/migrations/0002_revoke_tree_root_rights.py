"""Existing installations: no group keeps rights on the root page or the root collection.

Wagtail's initial data gives its default "Editors" and "Moderators" groups page rights on the root
page and image/document rights on the root collection, i.e. over every department. New installations
lose them when a department is provisioned (govsite.sites.provisioning.revoke_tree_root_rights); this
migration removes them where departments already exist. Reversing it restores nothing on purpose.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def revoke_tree_root_rights(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupPagePermission.objects.filter(page__depth=1).delete()
    GroupCollectionPermission.objects.filter(collection__depth=1).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("govsite_sites", "0001_initial"),
        # The migrations that grant the default groups their rights run first.
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(revoke_tree_root_rights, migrations.RunPython.noop)]
