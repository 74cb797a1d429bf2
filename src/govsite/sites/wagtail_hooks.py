"""Admin for the organisation registry (部门网站导航), and department scoping of shared admin screens."""

from django.utils.text import capfirst
from wagtail import hooks
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site
from wagtail.permissions import register_permission_policy
from wagtail.sites.views import IndexView as SiteIndexView
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_scope, redirect_admin
from .models import Organisation, OrganisationGroup

# Redirects per department (redirect_admin): replaces the model-wide policy Wagtail registered.
register_permission_policy(Redirect, redirect_admin.POLICY)


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = "部门"
    list_display = ["name", "group", "site", "url"]
    list_filter = ["group"]
    search_fields = ["name"]
    sort_order_field = "sort_order"


class OrganisationGroupViewSet(SnippetViewSet):
    model = OrganisationGroup
    icon = "folder-open-inverse"
    menu_label = "部门分组"
    sort_order_field = "sort_order"


class RegistryViewSetGroup(SnippetViewSetGroup):
    menu_label = "部门网站导航"
    menu_icon = "site"
    menu_order = 250
    items = (OrganisationViewSet, OrganisationGroupViewSet)


register_snippet(RegistryViewSetGroup)


# --- other departments' titles stay out of choosers, bulk actions and reports (admin_scope) ---------
hooks.register("construct_page_chooser_queryset", admin_scope.scope_page_chooser)
for action_class in admin_scope.scoped_bulk_actions():
    # A later order replaces Wagtail's own action of the same type for the same models.
    hooks.register("register_bulk_action", action_class, order=100)


# --- the sites listing in Chinese ---------------------------------------------------------------
def label_site_columns() -> None:
    """Wagtail's sites listing (wagtail.sites.views.IndexView) labels its port, site name and root
    page columns with their attribute names, in English and untranslatable; give those columns the
    model fields' verbose names, which Wagtail's catalogue translates (端口号, 站点名称, 根页面)."""
    for column in SiteIndexView.columns:
        if column.label == capfirst(column.name.replace("_", " ")):  # a label Wagtail derived
            column.label = capfirst(Site._meta.get_field(column.name).verbose_name)


label_site_columns()
