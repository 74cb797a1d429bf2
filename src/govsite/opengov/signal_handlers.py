"""Receivers of the opengov app: 索引号 at first publication, the site administrators' right to the
site's 政务公开设置."""

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver
from wagtail.models import GroupSitePermission, Page, Site
from wagtail.signals import page_published

from govsite.sites.signals import department_provisioned

from .models import OpenGovSettings
from .numbering import allocate_index_number


@receiver(page_published, dispatch_uid="govsite_opengov_index_number")
def on_page_published(sender: Any, instance: Page, **kwargs: Any) -> None:
    """Every path that makes a page live sends page_published: the catalogue item gets its 索引号
    before the publisher (after commit) renders it."""
    allocate_index_number(instance)


@receiver(department_provisioned, dispatch_uid="govsite_opengov_site_admins")
def on_department_provisioned(sender: Any, site: Site, short_name: str, **kwargs: Any) -> None:
    """The department's 网站管理员 maintain its 政务公开设置 (统一社会信用代码, 索引号规则)."""
    site_admins = Group.objects.filter(name=f"{short_name}-网站管理员").first()
    if site_admins is None:
        return
    setting_type = ContentType.objects.get_for_model(OpenGovSettings)
    change = Permission.objects.get(content_type=setting_type, codename="change_opengovsettings")
    GroupSitePermission.objects.get_or_create(group=site_admins, site=site, permission=change)
