"""Bring a department site onto the platform, with its own page tree, files and editors.

Wagtail's multi-site is "one organisation, many sites"; the isolation between departments comes
from permissions scoped to the site's root page, its collection and its site settings.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
    Page,
    Site,
)

from .models import SiteProfile

# Editors write and submit for 三审; publishing is granted by govsite.workflow (终审, site admins).
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "lock_page", "unlock_page")
COLLECTION_PERMISSIONS = {
    "wagtailimages": ("add_image", "change_image", "choose_image"),
    "wagtaildocs": ("add_document", "change_document", "choose_document"),
}


@dataclass
class Department:
    site: Site
    collection: Collection
    editors: Group
    site_admins: Group


def _collection_for(name: str) -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=name).first()
    return existing or root.add_child(name=name)


def _grant_page_permissions(group: Group, page: Page, codenames: tuple[str, ...]) -> None:
    for codename in codenames:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def _grant_collection_permissions(group: Group, collection: Collection) -> None:
    for app_label, codenames in COLLECTION_PERMISSIONS.items():
        for codename in codenames:
            permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=permission
            )


def revoke_tree_root_rights() -> int:
    """Take every group's rights on the root page and the root collection away; return how many.

    A grant there covers every department's pages and files: Wagtail's install gives its default
    "Editors" and "Moderators" groups exactly that, which would let anyone put in either group edit
    every department. Departments' rights are granted on their own site root and collection only;
    the groups themselves are kept (Wagtail's default "Moderators approval" workflow names one).
    """
    pages, _ = GroupPagePermission.objects.filter(page__depth=1).delete()
    collections, _ = GroupCollectionPermission.objects.filter(collection__depth=1).delete()
    return pages + collections


@transaction.atomic
def provision_department(site: Site, short_name: str) -> Department:
    """Create (or complete) the collection and groups of the department that runs `site`.

    Idempotent: running it again adds what is missing and changes nothing else (except that any
    rights on the whole tree are revoked, see `revoke_tree_root_rights`).
    """
    revoke_tree_root_rights()
    collection = _collection_for(short_name)
    admin_access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")

    editors, _ = Group.objects.get_or_create(name=f"{short_name}-编辑")
    site_admins, _ = Group.objects.get_or_create(name=f"{short_name}-网站管理员")
    for group in (editors, site_admins):
        group.permissions.add(admin_access)
        _grant_page_permissions(group, site.root_page, EDITOR_PAGE_PERMISSIONS)
        _grant_collection_permissions(group, collection)

    # Site administrators also maintain their own site's settings (标识码, 备案号, footer…).
    setting_type = ContentType.objects.get_for_model(SiteProfile)
    change_setting = Permission.objects.get(content_type=setting_type, codename="change_siteprofile")
    GroupSitePermission.objects.get_or_create(group=site_admins, site=site, permission=change_setting)
    return Department(site=site, collection=collection, editors=editors, site_admins=site_admins)
