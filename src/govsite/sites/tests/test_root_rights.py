"""No group holds rights on the whole tree: Wagtail's default "Editors" and "Moderators" lose theirs.

A right on the root page or the root collection covers every department's pages and files, so a
user put into Wagtail's default groups could edit every department.
"""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page, Site

from govsite.sites.provisioning import provision_department

pytestmark = [pytest.mark.django_db, pytest.mark.both_engines]

migration = importlib.import_module("govsite.sites.migrations.0002_revoke_tree_root_rights")


def tree_root_grants() -> list[tuple[str, str]]:
    pages = GroupPagePermission.objects.filter(page__depth=1)
    collections = GroupCollectionPermission.objects.filter(collection__depth=1)
    return [(g.group.name, g.permission.codename) for g in [*pages, *collections]]


def grant_wagtail_defaults() -> None:
    """Wagtail's initial data, as an installation made before the fix still has it."""
    root_page, root_collection = Page.get_first_root_node(), Collection.get_first_root_node()
    for name in ("Editors", "Moderators"):
        group, _ = Group.objects.get_or_create(name=name)
        for codename in ("add_page", "change_page", "publish_page"):
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=root_page, permission=permission)
        for app_label, codename in (("wagtailimages", "add_image"), ("wagtaildocs", "change_document")):
            permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )


def test_a_provisioned_platform_has_no_rights_on_the_tree_root():
    assert tree_root_grants() == []
    # Wagtail's default workflow still names its group: the groups stay (named in Chinese), without rights.
    assert Group.objects.filter(name="审核员（全平台）").exists()


def test_provisioning_revokes_tree_root_rights():
    grant_wagtail_defaults()
    assert tree_root_grants()
    provision_department(Site.objects.get(hostname="kjt.localhost"), "科学技术厅")
    assert tree_root_grants() == []


def test_the_data_migration_revokes_tree_root_rights_and_leaves_departments_alone():
    department_grants = set(GroupPagePermission.objects.exclude(page__depth=1).values_list("pk", flat=True))
    collection_grants = set(
        GroupCollectionPermission.objects.exclude(collection__depth=1).values_list("pk", flat=True)
    )
    assert department_grants and collection_grants
    grant_wagtail_defaults()
    migration.revoke_tree_root_rights(apps, None)
    assert tree_root_grants() == []
    assert set(GroupPagePermission.objects.values_list("pk", flat=True)) == department_grants
    assert set(GroupCollectionPermission.objects.values_list("pk", flat=True)) == collection_grants
