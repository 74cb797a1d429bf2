"""What the 公开目录 holds and how it is browsed: the items of a 政务公开 column, their facets
(主题分类, 体裁分类, year, 发文机关, 有效性) and one paginated listing per facet value.

The items are the column's listed articles (`content.visibility.listed` via `listed_articles`):
a withdrawn, restricted, expired or unpublished article is in no catalogue page.
"""

import hashlib
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page, Site
from wagtail.query import PageQuerySet

from govsite.content.models import ArticlePage, ColumnPage, ColumnType, DocumentValidity, listed_articles
from govsite.content.prefetch import prime_validities
from govsite.core.bulk import memo
from govsite.core.fragments import cached_value
from govsite.sites.models import SiteProfile

from .models import CatalogueIndexPage, Genre, SubjectCategory

# 有效性 filter keys in addresses (yx/fz/) and their 文件效力 states.
VALIDITY_KEYS = {
    "yx": DocumentValidity.Status.VALID,
    "sx": DocumentValidity.Status.EXPIRED,
    "fz": DocumentValidity.Status.REPEALED,
    "xg": DocumentValidity.Status.AMENDED,
}
FACET_NAMES = {"zt": "主题分类", "tc": "体裁分类", "nd": "年份", "jg": "发文机关", "yx": "有效性"}


def open_gov_column(page: Page, inclusive: bool = False) -> ColumnPage | None:
    """The 政务公开 column (栏目类型 信息公开目录) an article belongs to, or None: catalogue items are
    the articles below such a column."""

    def load() -> ColumnPage | None:
        columns = ColumnPage.objects.ancestor_of(page, inclusive=inclusive).filter(
            column_type=ColumnType.DISCLOSURE_CATALOGUE
        )
        column: ColumnPage | None = columns.order_by("depth").first()
        return column

    if not page.path:  # an unsaved page (a preview)
        return load()
    # The same for every article of a column: read once per publishing run, or per bulk build
    # while its deferred checks run (an import's chunk).
    anchor = page.path if inclusive else page.path[: -page.steplen]
    key = ("open_gov_column", anchor)
    found: ColumnPage | None = cached_value(key, lambda: memo(key, load))
    return found


def organ_key(organ: str) -> str:
    """A stable ASCII address key for a 发文机关 name (jg/<key>/)."""
    return hashlib.md5(organ.encode(), usedforsecurity=False).hexdigest()[:8]


def default_organ(page: Page) -> str:
    site = page.get_site()
    return SiteProfile.for_site(site).organiser if site else ""


@dataclass
class Listing:
    kind: str | None
    key: str | None
    title: str
    number: int
    page_count: int
    total: int
    items: list[ArticlePage]
    base: str  # the listing's address below the catalogue ("", "zt/3/")

    def page_name(self, number: int) -> str:
        return self.base if number == 1 else f"{self.base}index_{number}.html"

    @property
    def previous_name(self) -> str | None:
        return self.page_name(self.number - 1) if self.number > 1 else None

    @property
    def next_name(self) -> str | None:
        return self.page_name(self.number + 1) if self.number < self.page_count else None

    @property
    def page_names(self) -> list[tuple[int, str]]:
        return [(n, self.page_name(n)) for n in range(1, self.page_count + 1)]


@dataclass
class Facets:
    """Counts per facet value, read in one query over the catalogue's items."""

    subjects: list[tuple[SubjectCategory, int, list[tuple[SubjectCategory, int]]]] = field(
        default_factory=list
    )
    genres: list[tuple[Genre, int]] = field(default_factory=list)
    years: list[tuple[int, int]] = field(default_factory=list)
    organs: list[tuple[str, str, int]] = field(default_factory=list)  # (key, name, count)
    validity: list[tuple[str, str, int]] = field(default_factory=list)  # (key, label, count)

    def keys(self) -> list[tuple[str, str]]:
        """Every (kind, key) with at least one item."""
        keys = [("zt", str(top.pk)) for top, _, _ in self.subjects]
        keys += [("zt", str(sub.pk)) for _, _, subs in self.subjects for sub, _ in subs]
        keys += [("tc", str(genre.pk)) for genre, _ in self.genres]
        keys += [("nd", str(year)) for year, _ in self.years]
        keys += [("jg", key) for key, _, _ in self.organs]
        keys += [("yx", key) for key, _, _ in self.validity]
        return keys


class Catalogue:
    def __init__(self, page: CatalogueIndexPage) -> None:
        self.page = page
        self.column = page.get_parent()

    def items(self) -> PageQuerySet:
        """The catalogue's items, newest first: listed articles of the 政务公开 column."""
        articles = listed_articles().descendant_of(self.column).defer_streamfields()
        return articles.order_by("-pub_date", "-pk")

    def organiser(self) -> str:
        return cached_value(("opengov_organiser", self.page.pk), lambda: default_organ(self.page))

    def _rows(self) -> list[dict[str, Any]]:
        def load() -> list[dict[str, Any]]:
            fields = (
                "pk",
                "pub_date",
                "catalogue_entries__subject_id",
                "catalogue_entries__subject__parent_id",
                "catalogue_entries__genre_id",
                "catalogue_entries__issuing_organ",
                "validity__status",
            )
            return list(self.items().values(*fields))

        return cached_value(("opengov_rows", self.page.pk), load)

    def facets(self) -> Facets:
        return cached_value(("opengov_facets", self.page.pk), self._facets)

    def _facets(self) -> Facets:
        rows = self._rows()
        subject_counts: Counter[int] = Counter()
        genre_counts: Counter[int] = Counter()
        years: Counter[int] = Counter()
        organs: Counter[str] = Counter()
        statuses: Counter[str] = Counter()
        for row in rows:
            subject, parent = (
                row["catalogue_entries__subject_id"],
                row["catalogue_entries__subject__parent_id"],
            )
            if subject:
                subject_counts[subject] += 1
                if parent:
                    subject_counts[parent] += 1
            if row["catalogue_entries__genre_id"]:
                genre_counts[row["catalogue_entries__genre_id"]] += 1
            years[timezone.localtime(row["pub_date"]).year] += 1
            organs[row["catalogue_entries__issuing_organ"] or self.organiser()] += 1
            statuses[row["validity__status"] or DocumentValidity.Status.VALID] += 1
        categories = SubjectCategory.objects.filter(pk__in=subject_counts).select_related("parent")
        tops = sorted((c for c in categories if c.parent_id is None), key=lambda c: (c.sort_order, c.pk))
        subs = [c for c in categories if c.parent_id is not None]
        facets = Facets()
        for top in tops:
            children = sorted((c for c in subs if c.parent_id == top.pk), key=lambda c: (c.sort_order, c.pk))
            facets.subjects.append(
                (top, subject_counts[top.pk], [(c, subject_counts[c.pk]) for c in children])
            )
        facets.genres = [(g, genre_counts[g.pk]) for g in Genre.objects.filter(pk__in=genre_counts)]
        facets.years = sorted(years.items(), reverse=True)
        facets.organs = sorted(((organ_key(name), name, n) for name, n in organs.items()), key=lambda o: o[1])
        facets.validity = [
            (key, status.label, statuses[status.value])
            for key, status in VALIDITY_KEYS.items()
            if statuses[status.value]
        ]
        return facets

    def _filter(self, kind: str | None, key: str | None) -> tuple[PageQuerySet, str]:
        """The items of one facet value and its title; LookupError for an unknown value."""
        items = self.items()
        if kind is None:
            return items, self.page.title
        key = key or ""
        if kind == "zt":
            category = SubjectCategory.objects.filter(pk=int(key)).first() if key.isdigit() else None
            if category is None:
                raise LookupError(key)
            condition = Q(catalogue_entries__subject=category) | Q(
                catalogue_entries__subject__parent=category
            )
            return items.filter(condition), f"主题分类：{category}"
        if kind == "tc":
            genre = Genre.objects.filter(pk=int(key)).first() if key.isdigit() else None
            if genre is None:
                raise LookupError(key)
            return items.filter(catalogue_entries__genre=genre), f"体裁分类：{genre}"
        if kind == "nd":
            if not key.isdigit():
                raise LookupError(key)
            return items.filter(pub_date__year=int(key)), f"{int(key)} 年"
        if kind == "jg":
            names = {k: name for k, name, _ in self.facets().organs}
            if key not in names:
                raise LookupError(key)
            organ = names[key]
            condition = Q(catalogue_entries__issuing_organ=organ)
            if organ == self.organiser():
                condition |= Q(catalogue_entries__isnull=True) | Q(catalogue_entries__issuing_organ="")
            return items.filter(condition), f"发文机关：{organ}"
        status = VALIDITY_KEYS.get(key)
        if status is None:
            raise LookupError(key)
        condition = Q(validity__status=status)
        if status == DocumentValidity.Status.VALID:
            condition |= Q(validity__isnull=True)
        return items.filter(condition), f"有效性：{status.label}"

    def listing(self, kind: str | None, key: str | None, number: int) -> Listing:
        items, title = self._filter(kind, key)
        total = items.count()
        per_page = max(1, self.page.per_page)
        page_count = max(1, math.ceil(total / per_page))
        if number > page_count:
            raise LookupError(number)
        start = (number - 1) * per_page
        # Each row shows its 索引号 and its catalogue entry: two queries per page, not two per row.
        chosen = list(items.prefetch_related("index_number", "catalogue_entries")[start : start + per_page])
        prime_validities([item.pk for item in chosen])  # in a publishing run: the rows' 有效性, one query
        base = f"{kind}/{key}/" if kind else ""
        return Listing(kind, key, title, number, page_count, total, chosen, base)

    def subpaths(self) -> list[str]:
        """Every address below the catalogue's own: each listing and its further pages."""
        per_page = max(1, self.page.per_page)
        paths = [""] + [
            f"index_{n}.html" for n in range(2, self._page_count(len(self._rows()), per_page) + 1)
        ]
        for kind, key in self.facets().keys():  # noqa: SIM118 (Facets.keys is a method of ours)
            count = self._filter(kind, key)[0].count()
            base = f"{kind}/{key}/"
            paths += [base] + [
                f"{base}index_{n}.html" for n in range(2, self._page_count(count, per_page) + 1)
            ]
        return paths

    @staticmethod
    def _page_count(total: int, per_page: int) -> int:
        return max(1, math.ceil(total / per_page))


def catalogue_pages_for(article: ArticlePage) -> list[CatalogueIndexPage]:
    """The live catalogues that list `article` (those of its 政务公开 column)."""
    column = open_gov_column(article)
    if column is None:
        return []
    return list(CatalogueIndexPage.objects.child_of(column).live())


def catalogue_addresses(article: ArticlePage) -> list[str]:
    """Site paths of every catalogue address that may show `article` (for the static publisher):
    all of its catalogue's listings, since a changed category or date moves it between them."""
    paths = []
    for catalogue in catalogue_pages_for(article):
        parts = catalogue.get_url_parts()
        if parts is None:
            continue
        paths += [parts[2] + subpath for subpath in catalogue.published_subpaths()]
    return paths


def site_of(page: Page) -> Site | None:
    site: Site | None = page.get_site()
    return site
