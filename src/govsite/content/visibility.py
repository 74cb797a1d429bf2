"""THE visibility rule: which pages the public may see, which are listed and found, which files are public.

Every consumer asks here, so a page is never shown in one place and hidden in another:

- **public** (`public_pages`, `is_public`): the page answers the public at its own address with its
  content: live, no view restriction (密码/登录/用户组) on it or above it, and not expired (an
  `expire_at` in the past counts even before the scheduler has unpublished the page).
- **listed** (`listed`, `is_listed`): public and not withdrawn (撤稿). Lists, menus, feeds, sitemaps,
  search, attachments and link checks use this. A withdrawn page keeps answering at its address with
  its notice, so the publisher still writes that address (it is public), but it is listed nowhere.
- **document_is_public**: a document is public when a listed page of its own department uses it.

The queryset filters only add WHERE conditions on the page row (the restricted paths are read once
per publishing run by `core.models.public`), so list queries keep walking the date index; the
per-object predicates apply the same definition to one loaded page without a query per row when
the caller passes the batch's `withdrawn` set.
"""

import operator
from collections.abc import Iterable
from functools import reduce
from typing import Any, TypeVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page, ReferenceIndex

from govsite.core.models import public, restricted_paths, subtree_q
from govsite.sites.provisioning import department_roots

PageSet = TypeVar("PageSet", bound=models.QuerySet)


def not_expired_q() -> Q:
    """Pages whose 下线时间 (expire_at) has not passed."""
    return Q(expire_at__isnull=True) | Q(expire_at__gt=timezone.now())


def public_pages(pages: PageSet) -> PageSet:
    """The pages among `pages` that the public may open: live, unrestricted, not expired."""
    return public(pages.filter(live=True)).filter(not_expired_q())


def listed(pages: PageSet) -> PageSet:
    """The pages among `pages` that lists, feeds, sitemaps, menus and search show: public, not withdrawn."""
    return public_pages(pages).filter(withdrawal__isnull=True)


def searchable(pages: PageSet) -> PageSet:
    """What search finds: the listed pages (search adds which page kinds it indexes)."""
    return listed(pages)


def withdrawn_ids(page_ids: Iterable[int]) -> set[int]:
    """The pages among `page_ids` under 撤稿 (one query for a batch, for `is_listed`)."""
    ids = list(page_ids)
    if not ids:
        return set()
    return set(Page.objects.filter(pk__in=ids, withdrawal__isnull=False).values_list("pk", flat=True))


def is_expired(page: Page) -> bool:
    expire_at = getattr(page, "expire_at", None)
    return expire_at is not None and expire_at <= timezone.now()


def is_restricted(page: Page, restricted: list[str] | None = None) -> bool:
    """A view restriction on the page or above it; `restricted` may be read once for a batch."""
    paths = restricted_paths() if restricted is None else restricted
    return any(page.path.startswith(path) for path in paths)


def is_public(page: Page, restricted: list[str] | None = None) -> bool:
    """`public_pages` for one loaded page."""
    return bool(page.live) and not is_expired(page) and not is_restricted(page, restricted)


def is_listed(page: Page, restricted: list[str] | None = None, withdrawn: set[int] | None = None) -> bool:
    """`listed` for one loaded page; `restricted` and `withdrawn` may be computed once for a batch."""
    if not is_public(page, restricted):
        return False
    withdrawn = withdrawn_ids([page.pk]) if withdrawn is None else withdrawn
    return page.pk not in withdrawn


# --- documents -------------------------------------------------------------------------------------
def document_is_public(document: Any) -> bool:
    """A document is public when a listed page (live, unrestricted, not expired, not withdrawn) of its
    own department uses it.

    Its department is the one that owns its collection (`department_roots`): a page of another site
    that links to it publishes nothing. Unused documents and documents used only by drafts stay
    private until their page is published. Files outside every department's collection (the root
    collection, which only platform administrators use) count a page of any site. A use by something
    other than a page counts for site settings of the owning department's sites only.
    """
    roots = department_roots(document.collection)
    page_ids, other_uses = set(), []
    for reference in ReferenceIndex.get_references_to(document):
        model = reference.base_content_type.model_class()
        if model is not None and issubclass(model, Page):
            page_ids.add(int(reference.object_id))
        else:
            other_uses.append((model, reference.object_id))
    pages = listed(Page.objects.filter(pk__in=page_ids)) if page_ids else Page.objects.none()
    if roots:
        pages = pages.filter(reduce(operator.or_, (subtree_q(root, inclusive=True) for root in roots)))
    return pages.exists() or any(_site_use_counts(model, pk, roots) for model, pk in other_uses)


def _site_use_counts(model: type[models.Model] | None, object_id: str, roots: list[Page]) -> bool:
    """Whether a non-page use (e.g. a site setting) publishes a document of a department with `roots`."""
    if not roots:
        return True
    if model is None or "site" not in {field.name for field in model._meta.get_fields()}:
        return False
    site_path = model._default_manager.filter(pk=object_id).values_list("site__root_page__path", flat=True)
    path = site_path.first()
    return path is not None and any(path.startswith(root.path) for root in roots)


# --- the order of lists ----------------------------------------------------------------------------
# Every list of pages (a column's front page, the home page blocks and 焦点图, feeds) shows the pinned
# (置顶) items first, by 排序权重 then 发布日期, and then the others newest first. Archive list pages
# stay in date order (content/listing.py: their files never change when an article is pinned).
PINNED_ORDER = ("-sort_weight", "-pub_date", "-pk")


def pinned_q() -> Q:
    """Pages pinned now: 置顶, and its 置顶截止时间 (pinned_until) not passed."""
    return Q(pinned=True) & (Q(pinned_until__isnull=True) | Q(pinned_until__gt=timezone.now()))


def pinned(pages: PageSet) -> PageSet:
    """The pages among `pages` pinned now, in pinned order."""
    return pages.filter(pinned_q()).order_by(*PINNED_ORDER)


def is_pinned(page: Any) -> bool:
    """`pinned_q` for one loaded page."""
    until = getattr(page, "pinned_until", None)
    return bool(getattr(page, "pinned", False)) and (until is None or until > timezone.now())


P = TypeVar("P", bound=Page)


def in_list_order(pinned_items: Iterable[P], newest: Iterable[P], limit: int | None) -> list[P]:
    """THE order of a list: `pinned_items` (from `pinned`) first, then `newest` (newest first), each
    page once, at most `limit` of them (None: all)."""
    items = list(pinned_items)
    seen = {page.pk for page in items}
    items += [page for page in newest if page.pk not in seen]
    return items if limit is None else items[:limit]
