"""Admin: editors manage 推荐结果 (promoted results) and decide which 热词 the public sees."""

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from govsite.core.types import RequestUser
from govsite.sites.models import admin_sites

from .models import HotWord, SearchPromotion


class SearchPromotionViewSet(SnippetViewSet):
    model = SearchPromotion
    icon = "pick"
    menu_label = "搜索推荐结果"
    add_to_admin_menu = False
    list_display = ["keyword", "page", "site", "sort_order"]
    search_fields = ["keyword"]


class HotWordPermissionPolicy(ModelPermissionPolicy):
    """A site's administrators decide its 热词; platform-wide words are for platform administrators.

    Checked per row, so a word of another department cannot be opened or changed by its id either.
    """

    def site_ids(self, user: RequestUser) -> set[int]:
        return {site.pk for site in admin_sites(user)}

    def user_has_permission_for_instance(self, user: RequestUser, action: str, instance: HotWord) -> bool:
        if not self.user_has_permission(user, action):
            return False
        return user.is_superuser or instance.site_id in self.site_ids(user)

    def instances_user_has_any_permission_for(
        self, user: RequestUser, actions: list[str]
    ) -> QuerySet[HotWord]:
        queryset: QuerySet[HotWord] = super().instances_user_has_any_permission_for(user, actions)
        return queryset if user.is_superuser else queryset.filter(site_id__in=self.site_ids(user))


hot_word_policy = HotWordPermissionPolicy(HotWord)
register_permission_policy(HotWord, hot_word_policy)


class OwnSitesOnly:
    """Views that load one 热词 by its id answer 404 for a word the user may not see in the list."""

    def get_object(self, queryset: QuerySet[HotWord] | None = None) -> HotWord:
        obj: HotWord = super().get_object(queryset)  # type: ignore[misc]
        user = self.request.user  # type: ignore[attr-defined]
        if not hot_word_policy.user_has_any_permission_for_instance(user, ["view", "change", "delete"], obj):
            raise Http404
        return obj


def own_sites_only(view_class: type) -> type:
    return type(f"HotWord{view_class.__name__}", (OwnSitesOnly, view_class), {})


class HotWordViewSet(SnippetViewSet):
    model = HotWord
    edit_view_class = own_sites_only(snippet_views.EditView)
    delete_view_class = own_sites_only(snippet_views.DeleteView)
    copy_view_class = own_sites_only(snippet_views.CopyView)
    usage_view_class = own_sites_only(snippet_views.UsageView)
    history_view_class = own_sites_only(snippet_views.HistoryView)
    inspect_view_class = own_sites_only(snippet_views.InspectView)
    icon = "search"
    menu_label = "搜索热词"
    add_to_admin_menu = True
    menu_order = 162
    list_display = ["word", "status", "site", "recent_searches", "note", "updated_at"]
    list_filter = ["status", "site"]
    search_fields = ["word"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[HotWord]:
        return hot_word_policy.instances_user_has_any_permission_for(request.user, ["view", "change"])


register_snippet(SearchPromotionViewSet)
register_snippet(HotWordViewSet)
