"""Which addresses a site publishes, and which ones a change to a page affects."""

from collections.abc import Iterable, Iterator

from wagtail import hooks
from wagtail.models import Page, ReferenceIndex, Site

from govsite.content.listing import FRONT, ListLayout, list_file_name
from govsite.content.models import ArticlePage, ColumnPage, HomePage, listed_articles
from govsite.content.sitemaps import month_articles, month_sitemap_path
from govsite.content.visibility import public_pages
from govsite.versions.registry import VERSIONS

from .publisher import NOT_FOUND_PATH, Address

SITE_ADDRESSES = (
    Address("/sitemap/"),
    Address(NOT_FOUND_PATH),
    Address("/sitemap.xml", versioned=False),
    Address("/sitemaps/pages.xml", versioned=False),
    Address("/robots.txt", versioned=False),
)


def site_path(page: Page) -> str | None:
    """The page's path on its own site ("/kjdt/mtjj/"), or None if it is not routable."""
    parts = page.specific_deferred.get_url_parts()
    return parts[2] if parts else None


def column_list_path(column: ColumnPage, number: int) -> str:
    return (site_path(column) or "/") + list_file_name(number)


def page_addresses(page: Page) -> list[Address]:
    """Every address that shows `page` itself: one for most pages, all list pages for a column."""
    page = page.specific
    path = site_path(page)
    if path is None:
        return []
    if isinstance(page, ColumnPage):
        lists = [Address(column_list_path(page, n)) for n in page.list_page_numbers()]
        return [*lists, Address(path + "rss.xml", versioned=False)]
    subpaths = getattr(page, "published_subpaths", None)
    if subpaths is not None:  # a routable page of a higher app (e.g. the 公开目录): every route it answers
        return [Address(path + subpath) for subpath in subpaths()]
    return [Address(path)]


def site_addresses(site: Site) -> Iterator[Address]:
    """Every address of a site, for a full rebuild."""
    yield from SITE_ADDRESSES
    articles = listed_articles().descendant_of(site.root_page)
    months = articles.datetimes("pub_date", "month").iterator()
    for month in months:
        yield Address(month_sitemap_path(month), versioned=False)
    # Public, not listed: a withdrawn page's address still answers (its notice, 410 or redirect).
    pages = public_pages(site.root_page.get_descendants(inclusive=True)).specific().iterator()
    for page in pages:
        yield from page_addresses(page)


def list_positions(column: ColumnPage, article: ArticlePage, total: int) -> int:
    """The article's position in the column's list (oldest = 0), from the few articles newer than
    it: new articles are the newest, and counting the older ones would read the whole column."""
    others = column.articles_by_date_index().exclude(pk=article.pk)
    newer: int = others.filter(pub_date__gt=article.pub_date).count()
    newer += others.filter(pub_date=article.pub_date, pk__gt=article.pk).count()
    live_total = total - (1 if column.articles().filter(pk=article.pk).exists() else 0)
    return max(0, live_total - newer)


def article_change_addresses(
    article: ArticlePage, change: str, columns: Iterable[ColumnPage] | None = None
) -> set[Address]:
    """Addresses to render again when an article is inserted into, updated in or removed from
    `columns` (by default the columns it is in now).

    `change` is "insert", "update" or "remove". Covered: the article's own address, the list pages
    of every column above it that shift or show it, their feeds, the home page, its neighbours
    (上一篇/下一篇), pages that link to it, and the sitemap of its month. Rendering an address that no
    longer exists removes its file; a moved page's old address becomes a redirect file.
    """
    render = set(page_addresses(article))
    if columns is None:
        columns = ColumnPage.objects.ancestor_of(article).live().specific()
    for column in columns:
        layout = column.list_layout()
        position = list_positions(column, article, layout.total)
        if change == "update":  # the front page too: it shows pinned articles (置顶) first
            numbers = {FRONT, layout.page_of(position)}
        else:
            delta = -1 if change == "insert" else 1
            before = ListLayout(layout.total + delta, layout.per_page)
            numbers = layout.pages_from(position) | before.pages_from(position)
        render.update(Address(column_list_path(column, n)) for n in numbers)
        render.add(Address((site_path(column) or "/") + "rss.xml", versioned=False))

    home = HomePage.objects.ancestor_of(article).first()
    if home is not None:
        render.add(Address(site_path(home) or "/"))
    for neighbour in (article.previous_article, article.next_article):
        if neighbour is not None:
            render.update(page_addresses(neighbour))
    # Pages of higher apps that list the article by other keys (the 公开目录 by category and year).
    for listing_paths in hooks.get_hooks("govsite_article_listing_paths"):
        render.update(Address(listing_path) for listing_path in listing_paths(article))
    for source, _references in ReferenceIndex.get_references_to(article).group_by_source_object():
        if isinstance(source, Page) and source.live:
            render.update(page_addresses(source))
    if article.pub_date:
        render.add(Address(month_sitemap_path(article.pub_date), versioned=False))
        # The sitemap index lists months; it changes only when a month gains its first article
        # or loses its last one.
        if month_articles(article)[:2].count() <= 1:  # stop counting at two
            render.add(Address("/sitemap.xml", versioned=False))
    return render


def expand(addresses: set[Address]) -> list[str]:
    """Every path of these addresses, each address's versions side by side (`/kjdt/a.html`,
    `/elder/kjdt/a.html`, then the next address): a rebuild chunk then renders both versions of its
    articles, which share the chunk's records, neighbours and lists, instead of one version each."""
    return sorted({path for address in addresses for path in address.paths()}, key=_address_order)


def _address_order(path: str) -> tuple[str, int]:
    for index, version in enumerate(VERSIONS):
        if version.prefix and (path == version.prefix or path.startswith(version.prefix + "/")):
            return path[len(version.prefix) :] or "/", index
    return path, 0
