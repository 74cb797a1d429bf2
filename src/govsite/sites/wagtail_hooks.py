"""Admin for the organisation registry: platform administrators maintain the 部门网站导航."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Organisation, OrganisationGroup


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
