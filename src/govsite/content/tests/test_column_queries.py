"""A column's lists and counts, read the fast ways, show exactly what the plain queries show."""

import pytest
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
