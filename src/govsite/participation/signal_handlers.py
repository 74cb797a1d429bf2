"""Receivers of the participation app: a new department's site administrators handle its submissions."""

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.dispatch import receiver
from wagtail.models import GroupSitePermission, Site

from govsite.sites.signals import department_provisioned

from .models import PERMISSION


def grant_handling(site: Site, group: Group) -> None:
    """`group` handles `site`'s opinions, survey responses and interview questions (idempotent)."""
    permission = Permission.objects.get(content_type__app_label="govsite_participation", codename=PERMISSION)
    GroupSitePermission.objects.get_or_create(group=group, site=site, permission=permission)


@receiver(department_provisioned, dispatch_uid="govsite_participation_provision_handlers")
def on_department_provisioned(sender: Any, site: Site, short_name: str, **kwargs: Any) -> None:
    """The department's 网站管理员 group (made by sites.provisioning) handles its site's submissions."""
    grant_handling(site, Group.objects.get(name=f"{short_name}-网站管理员"))
