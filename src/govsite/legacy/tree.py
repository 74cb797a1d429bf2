"""New articles placed under their columns a chunk at a time (the importer's write path).

Wagtail's `add_child` locks and re-reads the parent, reads its last child, bumps its `numchild`, and
then `Page.save` looks for a free slug (one query per try), the parent's locale, and validates the
path, slug and translation key against the database: a dozen queries per page, the same answers for
every page of a chunk. Here the column is locked and its last child read once per chunk; each new
article gets the next treebeard path (treebeard's own path arithmetic), a pinyin slug made free
against its column's slugs (read once per chunk and slug base), the column's locale; the column's
`numchild` is recounted once at the chunk's end (`core.bulk.defer`). The article is then saved and
revised by Wagtail's own `save` and `save_revision` (the `wagtail.create` log entry, its audit
record, the revision, the signals), validated in memory first as `save_revision` would validate it.

Paths skipped by a page rolled back in its savepoint are gaps, which treebeard allows.
"""

from __future__ import annotations

from functools import partial

from django.db import models
from django.db.models import Q
from wagtail.models import Page

from govsite.content.models import ArticlePage
from govsite.core.bulk import defer
from govsite.core.slugs import pinyin_slug, unique_slug


class ColumnSlots:
    """Where a chunk's new articles go under one column."""

    def __init__(self, column: Page) -> None:
        self.column = column
        # Locked as `add_child` locks it (a no-op on SQLite, whose writer holds the database).
        locked = Page.objects.select_for_update().only("path", "depth").get(pk=column.pk)
        self.depth = locked.depth + 1
        self.children = Page.objects.filter(path__startswith=locked.path, depth=self.depth)
        last = self.children.order_by("-path").values_list("path", flat=True).first()
        self.next_path = Page._get_path(locked.path, self.depth, 1) if last is None else None
        self.last_path = last or ""
        self.slugs: dict[str, set[str]] = {}  # slug base → the column's slugs starting with it

    def path(self) -> str:
        if self.next_path is None:
            self.next_path = str(Page(path=self.last_path)._inc_path())
        path, self.next_path = self.next_path, None
        self.last_path = path
        return path

    def slug(self, title: str) -> str:
        """`_fill_slug`'s slug (pinyin initials, `-2`, `-3` … when taken) with one query per base."""
        base = pinyin_slug(title) or "page"
        if base not in self.slugs:
            taken = self.children.filter(Q(slug=base) | Q(slug__startswith=f"{base}-"))
            self.slugs[base] = set(taken.values_list("slug", flat=True))
        slug = unique_slug(base, self.slugs[base])
        self.slugs[base].add(slug)
        return slug

    def place(self, article: ArticlePage) -> None:
        """The article's tree fields, as `add_child` and `Page.save`'s defaults would set them."""
        article.depth = self.depth
        article.path = self.path()
        article.slug = article.slug or self.slug(article.title)
        article.draft_title = article.draft_title or article.title
        article.locale_id = self.column.locale_id
        article._cached_parent_obj = self.column  # `get_parent()` without a query, as after add_child
        article._is_site_root = False  # an article is no site's root (Wagtail's own annotation)
        defer(("numchild", self.column.pk), partial(recount_children, self.column))


def recount_children(column: Page) -> None:
    """The column's `numchild`, once per chunk, from its children as they stand."""
    count = Page.objects.filter(path__startswith=column.path, depth=column.depth + 1).count()
    Page.objects.filter(pk=column.pk).update(numchild=count)
    column.numchild = count


def validate_new(article: ArticlePage) -> None:
    """`full_clean` as `save_revision` runs it, without the queries whose answer the placement
    fixed: the path, slug and translation key are free by construction, and the related rows
    (owner, locale, content type) are the importer's own."""
    related = [field.name for field in article._meta.concrete_fields if isinstance(field, models.ForeignKey)]
    article.full_clean(exclude=related, validate_unique=False, validate_constraints=False)


class ChunkTree:
    """The columns written to in one chunk."""

    def __init__(self) -> None:
        self.columns: dict[int, ColumnSlots] = {}

    def add(self, column: Page, article: ArticlePage) -> None:
        """`column.add_child(instance=article)`, the chunk's way."""
        if column.pk not in self.columns:
            self.columns[column.pk] = ColumnSlots(column)
        self.columns[column.pk].place(article)
        validate_new(article)
        article.save(clean=False)
