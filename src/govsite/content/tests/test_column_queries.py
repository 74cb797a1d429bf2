"""A column's lists and counts, read the fast ways, show exactly what the plain queries show."""

import pytest
from django.db import connection
from wagtail.models import PageViewRestriction, Site

from govsite.content.models import ArticlePage, ColumnPage, Withdrawal

pytestmark = pytest.mark.django_db


def kjt_column(slug: str) -> ColumnPage:
    site = Site.objects.get(hostname="kjt.localhost")
    return ColumnPage.objects.descendant_of(site.root_page).get(slug=slug)


def test_the_date_index_walk_lists_the_same_articles_as_the_subtree() -> None:
    column = kjt_column("kjdt")  # articles in the column's sub-columns count too
    total = column.articles().count()
    assert total > 10
    for limit in (1, 6, total + 5):
        expected = list(column.articles()[:limit])
        assert list(column.articles_by_date_index()[:limit]) == expected
        assert column.newest_articles(limit) == expected


def test_article_count_counts_exactly_the_listed_articles() -> None:
    column = kjt_column("kjdt")
    assert column.article_count() == column.articles().count()
    withdrawn, unpublished = ArticlePage.objects.descendant_of(column).live()[:2]
    restricted_column = column.sub_columns[0]
    before = column.article_count()
    Withdrawal.objects.create(page=withdrawn, reason="已过时。")
    unpublished.unpublish()
    assert column.article_count() == column.articles().count() == before - 2
    hidden = ArticlePage.objects.descendant_of(restricted_column).live().exclude(withdrawal__isnull=False)
    hidden_count = hidden.count()
    assert hidden_count
    PageViewRestriction.objects.create(page=restricted_column, restriction_type="login")
    assert column.article_count() == column.articles().count() == before - 2 - hidden_count


# --- one article's publication at 100,000 articles (issue 20) -----------------------------------
# Publishing one article counts its columns, reads their pinned articles, the home page's 焦点图 and
# its month's sitemap. These are read from indexes (and some of it once per run); each must still
# answer exactly what the plain query answers.


def test_article_count_takes_off_only_public_withdrawn_articles_of_its_own_subtree() -> None:
    from govsite.core.fragments import fragment_cache

    column = kjt_column("kjdt")
    other = ColumnPage.objects.exclude(pk=column.pk).exclude(path__startswith=column.path)
    elsewhere = ArticlePage.objects.live().filter(path__startswith=other.filter(numchild__gt=3)[0].path)[0]
    Withdrawal.objects.create(page=elsewhere, reason="已过时。")  # another column's: not taken off here
    restricted_column = column.sub_columns[0]
    inside = ArticlePage.objects.live().descendant_of(restricted_column)[0]
    Withdrawal.objects.create(page=inside, reason="已过时。")
    PageViewRestriction.objects.create(page=restricted_column, restriction_type="login")
    expected = column.articles().count()  # private and withdrawn: counted out once, not twice
    assert column.article_count() == expected
    with fragment_cache():  # the withdrawn articles are read once per run
        assert column.article_count() == expected
        assert kjt_column("mtjj").article_count() == kjt_column("mtjj").articles().count()


def test_focus_items_are_the_flagged_articles_pinned_first_then_newest() -> None:
    from django.db.models import Q

    from govsite.content.models import HomePage
    from govsite.content.visibility import in_list_order, pinned, pinned_q

    home = HomePage.objects.get(pk=Site.objects.get(hostname="kjt.localhost").root_page_id)
    with_image = ArticlePage.objects.live().descendant_of(home).filter(title_image__isnull=False)
    oldest, *_, newest = with_image.order_by("pub_date", "pk")
    ArticlePage.objects.filter(pk=oldest.pk).update(pinned=True, in_focus=False)
    ArticlePage.objects.filter(pk=newest.pk).update(in_focus=True)
    # the plain query: candidates of the site's subtree, the newest 2 × N, the pinned first
    candidates = with_image.filter(Q(in_focus=True) | pinned_q()).exclude(withdrawal__isnull=False)
    newest_first = list(candidates.order_by("-pub_date", "-pk")[: home.focus_count * 2])
    chosen = list(pinned(candidates)[: home.focus_count])
    expected = in_list_order(chosen, newest_first, home.focus_count)
    assert len(expected) >= 3 and expected[0].pk == oldest.pk
    assert home.focus_items() == expected


def test_an_articles_address_in_a_run_is_its_address_outside_one(rf) -> None:
    from govsite.core.fragments import fragment_cache

    articles = [
        ArticlePage.objects.live().child_of(kjt_column(slug)).order_by("pk")[i]
        for slug in ("mtjj", "gzdt")
        for i in (0, 1)
    ]
    request = rf.get("/", HTTP_HOST="kjt.localhost")
    expected = [(a.get_url_parts(), a.get_url_parts(request), a.get_full_url()) for a in articles]
    with fragment_cache():  # Wagtail's routing once per column
        fresh = [ArticlePage.objects.get(pk=a.pk) for a in articles]
        assert [(a.get_url_parts(), a.get_url_parts(request), a.get_full_url()) for a in fresh] == expected
    assert len({parts[2] for parts, _, _ in expected}) == 4


def test_a_month_sitemap_lists_every_listed_article_of_the_month_at_its_address(client) -> None:
    from lxml import etree

    from govsite.content.models import listed_articles
    from govsite.content.sitemaps import month_bounds

    site = Site.objects.get(hostname="kjt.localhost")
    first = listed_articles().descendant_of(site.root_page).order_by("-pub_date")[0]
    start, end = month_bounds(first.pub_date)
    in_month = listed_articles().descendant_of(site.root_page).filter(pub_date__gte=start, pub_date__lt=end)
    expected = [site.root_url + a.get_url_parts()[2] for a in in_month.order_by("pub_date", "pk")]
    response = client.get(f"/sitemaps/{start:%Y%m}.xml", HTTP_HOST="kjt.localhost")
    locs = etree.fromstring(response.content).xpath("//*[local-name()='loc']/text()")
    assert locs == expected and len(expected) >= 2


def test_a_slug_is_refused_only_beside_a_sibling_that_has_it() -> None:
    mtjj, gzdt = kjt_column("mtjj"), kjt_column("gzdt")
    taken = ArticlePage.objects.child_of(mtjj).first()
    assert not ArticlePage._slug_is_available(taken.slug, mtjj)
    assert ArticlePage._slug_is_available(taken.slug, mtjj, taken)  # its own slug
    assert ArticlePage._slug_is_available(taken.slug, gzdt)  # another column's
    assert ArticlePage._slug_is_available(mtjj.slug, mtjj)  # the parent's own is no sibling's


def reads_the_site(step: str) -> bool:
    """A plan step that walks a column or the site: a scan of the page or article table (but a
    partial index of flagged rows), the tree's path range, every page of a type, every sibling."""
    if step.startswith(("SCAN wagtailcore_page ", "SCAN govsite_content_articlepage ")):
        return "article_pinned" not in step and "article_in_focus" not in step
    return (
        "sqlite_autoindex_wagtailcore_page_1 (path>? AND path<?)" in step
        or step.endswith("(content_type_id=?)")
        or "govsite_page_depth_path (depth=? AND path>? AND path<?)" in step
    )


@pytest.mark.sqlite  # SQLite's query planner (no statistics); PostgreSQL leaves it out, never skips it
def test_one_articles_publication_reads_indexes_not_the_site() -> None:
    """At 100,000 articles each of these read a column or the whole site (0.1–1.2 s each) where an
    index answers in a millisecond: the count from the covering index, the pinned and 焦点图
    articles from their partial indexes, a month from the date index, aliases and slugs from theirs."""
    from django.test.utils import CaptureQueriesContext

    from govsite.content.models import HomePage
    from govsite.content.sitemaps import month_articles
    from govsite.core.models import alias_paths

    home = HomePage.objects.get(pk=Site.objects.get(hostname="kjt.localhost").root_page_id)
    column = kjt_column("gzdt")
    article = column.articles().first()
    reads = {
        "count": column.article_count,
        "pinned": column.pinned_articles,
        "focus": home.focus_items,
        "month": lambda: month_articles(article).exists(),
        "aliases": alias_paths,
        "slug": lambda: ArticlePage._slug_is_available("x", column),
    }
    for name, read in reads.items():
        with CaptureQueriesContext(connection) as queries:
            read()
        for captured in queries.captured_queries:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN QUERY PLAN " + captured["sql"])
                steps = [row[-1] for row in cursor.fetchall()]
            assert not [step for step in steps if reads_the_site(step)], (name, steps)
