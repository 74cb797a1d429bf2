"""The monitor in the admin (网站监测), for the platform administrator only: the probe addresses
(editable), and the probe history, outbound link results and link crawls (read-only records).

The probe may reach intranet addresses, so its configuration is platform business: no department role
is granted these permissions, and the policies below admit superusers only.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies.base import ModelPermissionPolicy

from .models import ExternalLink, LinkCrawl, Probe, ProbeTarget


class PlatformAdminOnly(ModelPermissionPolicy):
    """Every action for active superusers, nothing for anyone else."""

    read_only = False

    def allows(self, action: str) -> bool:
        return action == "view" or not self.read_only

    def user_has_permission(self, user: Any, action: str) -> bool:
        return bool(user.is_active and user.is_superuser and self.allows(action))

    def user_has_any_permission(self, user: Any, actions: Any) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions: Any) -> QuerySet[Any]:
        users = get_user_model().objects.filter(is_active=True, is_superuser=True)
        return users if any(self.allows(action) for action in actions) else users.none()


class ReadOnlyRecords(PlatformAdminOnly):
    """Records the monitor made: readable, never edited by hand."""

    read_only = True


class ProbeTargetViewSet(ModelViewSet):
    name = "monitoring_targets"
    url_prefix = "monitoring/targets"
    model = ProbeTarget
    icon = "site"
    menu_label = "首页监测设置"
    add_to_admin_menu = False
    copy_view_enabled = False
    form_fields = ["site", "url", "enabled"]
    list_display = ["site", "url", "enabled"]


class RecordsViewSet(ModelViewSet):
    copy_view_enabled = False
    inspect_view_enabled = True
    form_fields: list[str] = []  # never edited: the policy refuses add and change


class ProbeViewSet(RecordsViewSet):
    name = "monitoring_probes"
    url_prefix = "monitoring/probes"
    model = Probe
    icon = "time"
    menu_label = "首页监测记录"
    list_display = ["site", "at", "ok", "status", "elapsed_ms", "error_label", "url"]
    list_filter = ["site", "ok"]


class ExternalLinkViewSet(RecordsViewSet):
    name = "monitoring_links"
    url_prefix = "monitoring/links"
    model = ExternalLink
    icon = "link-external"
    menu_label = "外部链接检测"
    list_display = [
        "url",
        "site",
        "result",
        "status",
        "final_url",
        "last_checked",
        "first_seen",
        "page_count",
    ]
    list_filter = ["result", "site", "source"]
    search_fields = ["url", "host", "final_url"]


class LinkCrawlViewSet(RecordsViewSet):
    name = "monitoring_crawls"
    url_prefix = "monitoring/crawls"
    model = LinkCrawl
    icon = "link"
    menu_label = "链接巡检记录"
    list_display = ["site", "started_at", "files", "broken_links", "external_links", "seconds"]
    list_filter = ["site"]


class MonitoringViewSetGroup(ModelViewSetGroup):
    menu_label = "网站监测"
    menu_icon = "pick"
    menu_order = 9000
    items = [ProbeViewSet, ExternalLinkViewSet, LinkCrawlViewSet, ProbeTargetViewSet]
