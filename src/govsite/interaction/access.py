"""Who handles which site's messages: the `handle_message` site permission (GroupSitePermission).

Provisioning gives it to a department's 网站管理员 group on the department's site (signal_handlers.py), so
a handler sees their own site's messages, including those transferred to it; a site that transferred a
message away still sees it (read only) with its trail. Platform administrators see all.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import Http404
from wagtail.models import Site

from govsite.core.types import RequestUser
from govsite.sites.models import sites_granted

from .models import Alert, Message

PERMISSION = "handle_message"


def handler_sites(user: RequestUser) -> QuerySet[Site]:
    return sites_granted(user, PERMISSION)


def visible_messages(user: RequestUser) -> QuerySet[Message]:
    sites = handler_sites(user)
    return Message.objects.filter(Q(site__in=sites) | Q(transfers__from_site__in=sites)).distinct()


def message_for(user: RequestUser, pk: int) -> Message:
    """A message loaded by id, checked like the list: another department's message is a 404."""
    message = visible_messages(user).filter(pk=pk).select_related("site", "origin_site", "channel").first()
    if message is None:
        raise Http404("没有这条留言，或您无权办理。")
    return message


def may_act(user: RequestUser, message: Message) -> bool:
    """Only the site handling the message now acts on it (a site that transferred it only reads)."""
    return handler_sites(user).filter(pk=message.site_id).exists()


def alert_recipients(site: Site, level: Alert) -> list[str]:
    """E-mail addresses for a deadline alert of `level` about a message handled by `site`."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    granted = Q(
        groups__site_permissions__site=site, groups__site_permissions__permission__codename=PERMISSION
    )
    who = granted
    if level >= Alert.ESCALATED:
        who |= Q(
            groups__site_permissions__site=site,
            groups__site_permissions__permission__codename="change_siteprofile",
        )
    if level >= Alert.VETO_WARNING:
        who |= Q(is_superuser=True)
    return sorted(set(users.filter(who).values_list("email", flat=True)))
