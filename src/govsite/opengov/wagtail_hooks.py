"""Wire 政务公开 into the admin (classification lists) and into the article page and the publisher."""

from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from govsite.content.models import ArticlePage

from .catalogue import catalogue_addresses
from .metadata import catalogue_metadata
from .models import Genre, SubjectCategory


class SubjectCategoryViewSet(SnippetViewSet):
    model = SubjectCategory
    icon = "list-ul"
    menu_label = "主题分类"
    add_to_settings_menu = True
    list_display = ["__str__", "sort_order"]


class GenreViewSet(SnippetViewSet):
    model = Genre
    icon = "list-ul"
    menu_label = "体裁分类"
    add_to_settings_menu = True
    list_display = ["name", "sort_order"]


register_snippet(SubjectCategoryViewSet)
register_snippet(GenreViewSet)


@hooks.register("govsite_article_header")
def catalogue_metadata_table(context: Any, page: Any) -> SafeString | str:
    """The 公开目录 metadata table at the top of a catalogue item's page (both versions)."""
    if not isinstance(page, ArticlePage):
        return ""
    metadata = catalogue_metadata(page)
    if metadata is None:
        return ""
    return render_to_string("opengov/metadata_table.html", {"metadata": metadata}, context.get("request"))


@hooks.register("govsite_article_listing_paths")
def catalogue_listing_paths(article: ArticlePage) -> list[str]:
    return catalogue_addresses(article)
