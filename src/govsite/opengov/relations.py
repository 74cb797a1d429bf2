"""政策文件 ↔ 政策解读: the two-way link the inspectors score (§2.3 S2), read from
`CatalogueEntry.interprets` of the interpretation (one fact, shown on both pages).

A link is shown only to a page a reader can open and that lists it (`content.visibility`): a
withdrawn or unpublished interpretation disappears from its policy's page, and the policy's page is
rendered again when that happens (`changed_pages`).
"""

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from wagtail.models import Page

from govsite.content.models import ArticlePage, ColumnPage, ColumnType, listed_articles
from govsite.core.fragments import cached_value, prime

from .catalogue import open_gov_column
from .models import CatalogueEntry

# The check code of the editor's warning for a policy without an interpretation (wagtail_hooks).
NO_INTERPRETATION = "policy_without_interpretation"


@dataclass
class Interpretation:
    page: ArticlePage
    kind: str  # 文字解读, 图解, 视频解读, 专家解读 ("" when the editor chose none)


def is_policy(page: Page) -> bool:
    """A 政策文件: an article whose column is of type 政策文件 inside a 政务公开 column, and which is
    not itself an interpretation."""
    if not isinstance(page, ArticlePage) or not page.path or open_gov_column(page) is None:
        return False
    column = page.get_parent()
    if column is None or not isinstance(column.specific, ColumnPage):
        return False
    if column.specific.column_type != ColumnType.POLICIES:
        return False
    return not any(entry.interprets_id for entry in page.catalogue_entries.all())


def _listed_interpretation_entries(policy_ids: Collection[int]) -> list[CatalogueEntry]:
    entries = CatalogueEntry.objects.filter(interprets_id__in=policy_ids, page__in=listed_articles())
    return list(entries.select_related("page"))


def interpretations_of(policy: ArticlePage) -> list[Interpretation]:
    """The listed interpretations of a policy, oldest first (the order they were published)."""
    entries: list[CatalogueEntry] = cached_value(
        ("interpretation_entries", policy.pk), lambda: _listed_interpretation_entries([policy.pk])
    )
    found = [Interpretation(entry.page, entry.interpretation_kind) for entry in entries]
    return sorted(found, key=lambda item: (item.page.pub_date is None, item.page.pub_date, item.page.pk))


def has_any_interpretation(policy: Page) -> bool:
    """Whether any interpretation (published or still a draft) names this policy."""
    return bool(policy.pk) and CatalogueEntry.objects.filter(interprets_id=policy.pk).exists()


def interpreted_policy(page: ArticlePage) -> tuple[ArticlePage, str] | None:
    """The listed policy this page interprets, with the interpretation's kind, or None."""
    entry = catalogue_entry_of(page)
    if entry is None or not entry.interprets_id:
        return None
    policy = listed_articles().filter(pk=entry.interprets_id).first()
    return (policy, entry.interpretation_kind) if policy is not None else None


def catalogue_entry_of(page: ArticlePage) -> CatalogueEntry | None:
    """The page's catalogue entry (a preview's page holds it in memory: modelcluster), or None."""
    if page.pk is None:
        return next(iter(page.catalogue_entries.all()), None)
    entry: CatalogueEntry | None = cached_value(
        ("catalogue_entry", page.pk), lambda: next(iter(page.catalogue_entries.all()), None)
    )
    return entry


def prime_catalogue_records(ids: Collection[int]) -> None:
    """A publishing run's chunk of articles: their catalogue entries and listed interpretations in
    two queries (the `govsite_prime_articles` hook; see content/prefetch.py)."""
    entries: dict[int, CatalogueEntry] = {}
    for entry in CatalogueEntry.objects.filter(page_id__in=ids):
        entries.setdefault(entry.page_id, entry)  # the first, as `page.catalogue_entries.all()` gives
    by_policy: dict[int, list[CatalogueEntry]] = {pk: [] for pk in ids}
    for entry in _listed_interpretation_entries(ids):
        if entry.interprets_id is not None:  # always set: the query filters on it
            by_policy[entry.interprets_id].append(entry)
    values: dict[Any, Any] = {("catalogue_entry", pk): entries.get(pk) for pk in ids}
    values.update({("interpretation_entries", pk): found for pk, found in by_policy.items()})
    prime(values)


def _revision_policy_ids(page: ArticlePage, count: int) -> set[int]:
    """The policies the latest `count` revisions of an interpretation named (a changed choice
    leaves the old policy's page listing it until that page is rendered again)."""
    ids: set[int] = set()
    for content in page.revisions.order_by("-pk").values_list("content", flat=True)[:count]:
        entries: list[dict[str, Any]] = (content or {}).get("catalogue_entries") or []
        ids.update(int(e["interprets"]) for e in entries if isinstance(e.get("interprets"), int))
    return ids


def changed_pages(article: ArticlePage) -> list[ArticlePage]:
    """Pages that show a link to `article` and must be rendered again when it is published, changed
    or withdrawn: its policy (and the one its previous revision named) for an interpretation, its
    interpretations for a policy."""
    ids = {entry.interprets_id for entry in article.catalogue_entries.all() if entry.interprets_id}
    ids |= _revision_policy_ids(article, 2)
    ids |= set(CatalogueEntry.objects.filter(interprets_id=article.pk).values_list("page_id", flat=True))
    ids.discard(article.pk)
    return list(ArticlePage.objects.filter(pk__in=ids).live())
