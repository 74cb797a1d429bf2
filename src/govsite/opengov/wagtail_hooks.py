"""Wire 政务公开 into the admin (classification lists) and into the article page and the publisher."""

from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from wagtail import hooks
from wagtail.models import Page, Site
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from govsite.checks.rules import WARNING, Finding
from govsite.content.models import ArticlePage

from .catalogue import catalogue_addresses, site_of
from .metadata import catalogue_metadata
from .models import Genre, SubjectCategory
from .relations import (
    NO_INTERPRETATION,
    changed_pages,
    has_any_interpretation,
    interpretations_of,
    interpreted_policy,
    is_policy,
    prime_catalogue_records,
)


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


@hooks.register("govsite_article_footer")
def policy_links(context: Any, page: Any) -> SafeString | str:
    """A policy lists its interpretations; an interpretation links to its policy (both versions)."""
    if not isinstance(page, ArticlePage):
        return ""
    interpretations = interpretations_of(page) if page.pk else []
    original = interpreted_policy(page)
    if not interpretations and original is None:
        return ""
    policy, kind = original if original else (None, "")
    data = {"interpretations": interpretations, "policy": policy, "kind": kind}
    return render_to_string("opengov/policy_links.html", data, context.get("request"))


hooks.register("govsite_prime_articles", prime_catalogue_records)


@hooks.register("govsite_article_listing_paths")
def catalogue_listing_paths(article: ArticlePage) -> list[str]:
    """The catalogue's listings, and the pages that link to the article as its policy or
    interpretation (on the same site: the publisher renders one site's addresses)."""
    site = site_of(article)
    paths = catalogue_addresses(article)
    for linked in changed_pages(article):
        parts = linked.get_url_parts()
        if parts is not None and parts[2] and site is not None and parts[0] == site.pk:
            paths.append(parts[2])
    return paths


@hooks.register("govsite_page_checks")
def policy_without_interpretation(page: Page, site: Site | None) -> list[Finding]:
    """A 政策文件 should go out with its 解读 (同步发布, §2.3 S2): a warning, never a block."""
    if not is_policy(page) or has_any_interpretation(page):
        return []
    return [
        Finding(
            NO_INTERPRETATION,
            WARNING,
            "catalogue_entries",
            "政策解读",
            "政策文件尚无政策解读：建议与解读稿件通过联合发布同时发布",
            suggestion="在“政策解读”栏目撰写解读稿件，在其“公开目录”标签页选择本文件，"
            "再把两篇稿件加入同一个联合发布。",
        )
    ]
