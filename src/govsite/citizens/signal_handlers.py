"""Receivers of the citizens app: a new department's site administrators handle its 找错 reports."""

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.dispatch import receiver
from wagtail.models import GroupSitePermission, Site

from govsite.sites.signals import department_provisioned

from .access import PERMISSION


def grant_handling(site: Site, group: Group) -> None:
    """`group` handles `site`'s 找错 reports (idempotent)."""
    permission = Permission.objects.get(content_type__app_label="govsite_citizens", codename=PERMISSION)
    GroupSitePermission.objects.get_or_create(group=group, site=site, permission=permission)


@receiver(department_provisioned, dispatch_uid="govsite_citizens_provision_handlers")
def on_department_provisioned(sender: Any, site: Site, short_name: str, **kwargs: Any) -> None:
    group = Group.objects.get(name=f"{short_name}-网站管理员")
    grant_handling(site, group)
