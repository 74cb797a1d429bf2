"""网站监测 in the admin menu (platform administrators only, see views.py)."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .models import ExternalLink, LinkCrawl, Probe, ProbeTarget
from .views import MonitoringViewSetGroup, PlatformAdminOnly, ReadOnlyRecords

register_permission_policy(ProbeTarget, PlatformAdminOnly(ProbeTarget))
for model in (Probe, ExternalLink, LinkCrawl):
    register_permission_policy(model, ReadOnlyRecords(model))


@hooks.register("register_admin_viewset")
def register_viewset() -> MonitoringViewSetGroup:
    return MonitoringViewSetGroup()
