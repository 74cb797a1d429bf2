"""Receivers of the 留言 app: provisioning of new departments, publication of answered messages."""

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.dispatch import receiver
from wagtail.models import GroupSitePermission, Site

from govsite.content.signals import page_subpaths_changed
from govsite.sites.signals import department_provisioned

from .access import PERMISSION
from .models import Message, MessageBoardPage, create_default_channels
from .public import changed_subpaths
from .signals import message_published


def grant_handling(site: Site, group: Group) -> None:
    """`group` handles `site`'s messages (idempotent)."""
    permission = Permission.objects.get(content_type__app_label="govsite_interaction", codename=PERMISSION)
    GroupSitePermission.objects.get_or_create(group=group, site=site, permission=permission)


@receiver(department_provisioned, dispatch_uid="govsite_interaction_provision")
def on_department_provisioned(sender: Any, site: Site, short_name: str, **kwargs: Any) -> None:
    """The department's 网站管理员 group handles its messages; the site gets the four default channels."""
    grant_handling(site, Group.objects.get(name=f"{short_name}-网站管理员"))
    create_default_channels(site)


@receiver(message_published, dispatch_uid="govsite_interaction_publish")
def on_message_published(sender: Any, message: Message, **kwargs: Any) -> None:
    """The boards of the site the message was written to show it (and their statistics change)."""
    site = message.origin_site
    for board in MessageBoardPage.objects.live().descendant_of(site.root_page, inclusive=True):
        page_subpaths_changed.send(
            sender=MessageBoardPage, instance=board, subpaths=changed_subpaths(board, message)
        )
