"""Bring a department site onto the platform, with its own page tree, files and editors.

Wagtail's multi-site is "one organisation, many sites"; the isolation between departments comes
from permissions scoped to the site's root page, its collection and its site settings.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
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

from govsite.core.bulk import bulk_build

from .models import Organisation, SiteProfile
from .signals import department_provisioned

# Editors write and submit for 三审; publishing is granted by govsite.workflow (终审, site admins).
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "lock_page", "unlock_page")
REDIRECT_PERMISSIONS = ("add_redirect", "change_redirect", "delete_redirect")
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
    created: bool = False  # whether `create_department_site` made the site (not found it)


class ProvisioningError(ValueError):
    """The site cannot be provisioned as asked (the message is for the operator, in Chinese)."""


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


def _grant_redirect_permissions(group: Group, site: Site) -> None:
    """Redirects (重定向) of this site only (sites.redirect_admin: the redirect admin is scoped by these)."""
    for codename in REDIRECT_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailredirects", codename=codename)
        GroupSitePermission.objects.get_or_create(group=group, site=site, permission=permission)


def revoke_tree_root_rights() -> int:
    """Take every group's rights on the root page and the root collection away; return how many.

    A grant there covers every department's pages and files: Wagtail's install gives its default
    "Editors" and "Moderators" groups exactly that, which would let anyone put in either group edit
    every department. Departments' rights are granted on their own site root and collection only;
    the groups themselves are kept (Wagtail's default "Moderators approval" workflow names one).
    """
    pages: int
    collections: int
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
        _grant_redirect_permissions(group, site)

    # Site administrators also maintain their own site's settings (标识码, 备案号, footer…).
    setting_type = ContentType.objects.get_for_model(SiteProfile)
    change_setting = Permission.objects.get(content_type=setting_type, codename="change_siteprofile")
    GroupSitePermission.objects.get_or_create(group=site_admins, site=site, permission=change_setting)
    return Department(site=site, collection=collection, editors=editors, site_admins=site_admins)


def department_roots(collection: Collection) -> list[Page]:
    """The pages of the department(s) that own `collection`: where its files may be published.

    `provision_department` links a site to its collection only through its groups, which hold both
    page permissions on the site's root page and permissions on the collection; this follows that
    link backwards (a sub-collection belongs to the department of the collection it sits in). Empty
    for the root collection and collections no department group may use.
    """
    collections = collection.get_ancestors(inclusive=True).exclude(depth=1)
    groups = GroupCollectionPermission.objects.filter(collection__in=collections).values("group")
    page_ids = GroupPagePermission.objects.filter(group__in=groups).values("page")
    return list(Page.objects.filter(pk__in=page_ids))


def home_page_model() -> type[Page]:
    """The page type of a department's home page (`GOVSITE_HOME_PAGE_MODEL`, "app_label.ModelName").

    Named in settings, like Wagtail's swappable image and document models, because the page
    types live in govsite.content, a layer above this app.
    """
    return apps.get_model(settings.GOVSITE_HOME_PAGE_MODEL)


def department_of(site: Site) -> str | None:
    """The short name of the department whose editor group works on `site`'s root page, if any."""
    suffix = "-编辑"
    names = GroupPagePermission.objects.filter(page=site.root_page, group__name__endswith=suffix)
    name = names.values_list("group__name", flat=True).order_by("group__name").first()
    return name.removesuffix(suffix) if name else None


@bulk_build()  # a new site's pages (home, the 政务公开 tree) are indexed and checked once each
def create_department_site(
    hostname: str,
    name: str,
    short_name: str,
    port: int = 80,
    *,
    default: bool = False,
    organisation: str | None = None,
    profile: Mapping[str, Any] | None = None,
) -> Department:
    """Bring a department's website onto the platform: the one way every site is made.

    Creates the Site with a published home page, fills a new site's SiteProfile (网站名称 and
    主办单位 default to `name`; `profile` adds or overrides fields, validated), provisions the
    department's collection and groups, links the registry's `organisation` (部门网站导航) to the
    site, then sends `department_provisioned` so that other apps add their part (三审).

    Idempotent: a site is identified by its hostname (its home page slug comes from it). Calling
    this again for an existing site changes nothing that exists and completes what is missing; a
    different department for an existing site is refused (its groups would get rights there).
    """
    hostname = hostname.lower()
    site = Site.objects.filter(hostname=hostname).select_related("root_page").first()
    created = site is None
    if site is not None:
        current = department_of(site)
        if current not in (None, short_name):
            raise ProvisioningError(f"站点 {hostname} 已属于部门“{current}”，不能再分配给“{short_name}”。")
    else:
        home = home_page_model()(title=name, slug=hostname.split(".")[0])
        Page.get_first_root_node().add_child(instance=home)
        home.save_revision().publish()
        if default:
            Site.objects.filter(is_default_site=True).update(is_default_site=False)
        site = Site.objects.create(
            hostname=hostname, port=port, root_page=home, site_name=name, is_default_site=default
        )
        site_profile = SiteProfile.for_site(site)
        for field, value in {"site_name": name, "organiser": name, **(profile or {})}.items():
            setattr(site_profile, field, value)
        site_profile.full_clean()
        site_profile.save()
    department = provision_department(site, short_name)
    department.created = created
    if organisation:
        Organisation.objects.filter(name=organisation, site__isnull=True).update(site=site)
    department_provisioned.send(sender=Department, site=site, short_name=short_name)
    return department
