"""Admin: editors manage 推荐结果 (promoted results) as a snippet."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import SearchPromotion


class SearchPromotionViewSet(SnippetViewSet):
    model = SearchPromotion
    icon = "pick"
    menu_label = "搜索推荐结果"
    add_to_admin_menu = False
    list_display = ["keyword", "page", "site", "sort_order"]
    search_fields = ["keyword"]


register_snippet(SearchPromotionViewSet)
