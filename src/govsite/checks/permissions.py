"""Row-level permissions for the per-site 错敏词库 and 领导 lists.

Wagtail's model permissions say *what* a site administrator may do with word rules and leaders; this
policy says *which rows*: those of the sites they administer. Platform-wide word rules (no site)
apply to every department, so below the platform administrator they are read-only.
"""

from typing import Any

from django.db.models import Model, Q, QuerySet
from wagtail.permission_policies import ModelPermissionPolicy

from govsite.sites.models import admin_sites

# Actions that only read a row: allowed on platform-wide rows (listing, copying into one's own site).
READ_ACTIONS = frozenset({"view"})


class SiteScopedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, narrowed to the rows of the sites the user administers."""

    def _row_scope(self, user: Any, actions: list[str] | set[str]) -> Q | None:
        """The rows `actions` may touch, as a filter; None means every row (platform administrators)."""
        if user.is_superuser:
            return None
        scope = Q(site__in=[site.pk for site in admin_sites(user)])
        if set(actions) & READ_ACTIONS and self.model._meta.get_field("site").null:
            scope |= Q(site__isnull=True)
        return scope

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Model) -> bool:
        if not self.user_has_permission(user, action):
            return False
        if user.is_superuser:
            return True
        site_id = getattr(instance, "site_id", None)
        if site_id is None:
            return action in READ_ACTIONS
        return site_id in {site.pk for site in admin_sites(user)}

    def instances_user_has_any_permission_for(self, user: Any, actions: list[str]) -> QuerySet[Any]:
        queryset: QuerySet[Any] = self.model._default_manager.all()
        allowed = [action for action in actions if self.user_has_permission(user, action)]
        if not allowed:
            return queryset.none()
        scope = self._row_scope(user, allowed)
        return queryset if scope is None else queryset.filter(scope)
