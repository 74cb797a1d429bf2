"""站内搜索 on the demo platform: recall, pages, API, bad input, index upkeep.

Runs on SQLite by default and on PostgreSQL with DATABASE_URL (CI runs both).
"""

import io
import re
import unicodedata
from datetime import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Page, PageViewRestriction, Site

from govsite.content.body import body_text
from govsite.content.models import ArticleAttachment, ArticlePage, ColumnPage, InfoPage
from govsite.demo.builder import SEED_ARTICLE_TITLE
from govsite.search.backends import Count, Filters, get_backend, two_digits
from govsite.search.models import SearchDocument, SearchPromotion
from govsite.search.segment import parse_query
from govsite.testing import docx_bytes, xlsx_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.both_engines]
KJT = "kjt.localhost"

# The relevance test set: mid-sentence words, rare names, multi-word and mixed-script queries.
RECALL_QUERIES = [
    "集成电路",
    "药品上市许可持有人",
    "示范区",
    "张江",
    "TD-LTE",
    "罗家立",
    "试验田",
    "科技",
    "科技厅",
    "创新 示范区",
    "张江 集成电路",
    "科技 通知",
    "政策解读",
    "高新技术企业",
    "成果转化",
    "2011",
    "自治区 教育",
    "内蒙古",
    "税",
    "示例",
]


def normalized(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def page_texts() -> dict[int, str]:
    """Every live page's searchable text, computed straight from the pages (not from the index)."""
    texts: dict[int, str] = {}
    for page in ArticlePage.objects.live():
        attachments = " ".join(a.display_title for a in page.attachments.all())
        texts[page.pk] = normalized(
            f"{page.title}\n{page.summary}\n{body_text(page.body)}\n{page.source}\n{attachments}"
        )
    for page in InfoPage.objects.live():
        texts[page.pk] = normalized(f"{page.title}\n{body_text(page.body)}")
    for page in ColumnPage.objects.live():
        texts[page.pk] = normalized(f"{page.title}\n{page.description}")
    return texts


def contains(text: str, query: str) -> bool:
    """Every word of the query occurs in the text; "TD-LTE" also as "td lte"."""
    for word in normalized(query).split():
        pieces = [re.escape(p) for p in re.split(r"[-./]", word) if p]
        if not re.search(r"[\s\-./]*".join(pieces), text):
            return False
    return True


def found_pages(query: str, sort: str = "relevance") -> list[int]:
    backend = get_backend()
    ids = backend.search(parse_query(query), Filters(), sort, 0, 1000)
    by_id = dict(SearchDocument.objects.filter(pk__in=ids).values_list("pk", "page_id"))
    return [by_id[i] for i in ids]


@pytest.mark.parametrize("query", RECALL_QUERIES)
def test_every_page_that_contains_the_query_is_found(query: str) -> None:
    texts = page_texts()
    expected = {pk for pk, text in texts.items() if contains(text, query)}
    assert expected, f"the test set query {query!r} must occur in the demo content"
    found = found_pages(query)
    assert expected <= set(found), f"missed: {expected - set(found)}"
    assert set(found) <= expected, f"false matches: {set(found) - expected}"  # precision 1.0
    assert get_backend().count(parse_query(query), Filters()) == Count(len(expected))


def test_precision_at_10_and_title_matches_rank_first() -> None:
    found = found_pages("张江")
    seed = ArticlePage.objects.get(title=SEED_ARTICLE_TITLE)
    assert found[0] == seed.pk
    found = found_pages("科技厅")
    top = Page.objects.get(pk=found[0])
    assert "科技厅" in top.title


def get(client: Client, params: dict, path: str = "/search/", host: str = KJT):
    return client.get(path, params, HTTP_HOST=host)


def test_search_page_in_site_design_with_highlights(client: Client) -> None:
    response = get(client, {"q": "罗家立"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "<mark>罗家立</mark>" in html
    assert 'style="' not in html and "<script>" not in html
    assert '<label for="search-q">' in html and 'method="get"' in html
    assert "/kjdt/mtjj/202103/t20210331_" in html
    assert "找到相关结果 <strong>1 条</strong>" in html


def test_elder_version_keeps_links_in_the_elder_version(client: Client) -> None:
    html = get(client, {"q": "张江"}, "/elder/search/").content.decode()
    assert 'href="/elder/kjdt/mtjj/202103/t20210331_' in html
    assert 'action="/elder/search/"' in html


def test_header_search_box_on_every_page(client: Client) -> None:
    html = client.get("/", HTTP_HOST=KJT).content.decode()
    assert 'id="site-search-q"' in html and 'role="search"' in html


def test_site_and_cluster_scope(client: Client) -> None:
    title = "关于做好年度教育统计工作的通知"
    assert title not in get(client, {"q": "教育统计"}).content.decode()
    html = get(client, {"q": "教育统计", "scope": "all"}).content.decode()
    assert "<mark>教育统计</mark>" in html and "http://jyt.localhost" in html
    jyt = Site.objects.get(hostname="jyt.localhost")
    assert "教育统计" in get(client, {"q": "教育统计", "scope": "all", "site": jyt.pk}).content.decode()
    kjt = Site.objects.get(hostname=KJT)
    assert (
        "找到相关结果" not in get(client, {"q": "教育统计", "scope": "all", "site": kjt.pk}).content.decode()
    )


def test_filters_sort_and_pagination(client: Client) -> None:
    data = get(client, {"q": "科技", "sort": "date"}, "/search/api/").json()
    dates = [r["pub_date"] for r in data["results"] if r["pub_date"]]
    assert dates == sorted(dates, reverse=True)
    assert data["num_pages"] >= 2
    second = get(client, {"q": "科技", "sort": "date", "page": 2}, "/search/api/").json()
    assert {r["url"] for r in second["results"]}.isdisjoint({r["url"] for r in data["results"]})
    articles = get(client, {"q": "科技", "type": "article"}, "/search/api/").json()
    assert {r["type"] for r in articles["results"]} == {"article"}
    column = ColumnPage.objects.get(slug="mtjj")
    in_column = get(client, {"q": "张江", "column": column.pk}, "/search/api/").json()
    assert in_column["total"] == 1
    dated = get(client, {"q": "张江", "date_from": "2021-04-01"}, "/search/api/").json()
    assert dated["total"] == 0
    dated = get(
        client, {"q": "张江", "date_from": "2021-03-31", "date_to": "2021-03-31"}, "/search/api/"
    ).json()
    assert dated["total"] == 1
    html = get(client, {"q": "科技"}).content.decode()
    assert 'aria-label="搜索结果分页"' in html and 'aria-current="page"' in html


@pytest.mark.parametrize(
    ("query", "expected"), [("zhangjiang", "张江"), ("kejiting", "科技厅"), ("章江", "张江")]
)
def test_pinyin_and_typo_queries_find_the_page(client: Client, query: str, expected: str) -> None:
    data = get(client, {"q": query}, "/search/api/").json()
    assert data["corrected_from"] == query and data["query"] == expected
    assert data["total"] >= 1


def test_empty_result_is_helpful(client: Client) -> None:
    html = get(client, {"q": "量子引力波"}).content.decode()
    assert "未找到与“<strong>量子引力波</strong>”相关的结果" in html
    assert "scope=all" in html


@pytest.mark.parametrize(
    "query",
    [
        '" OR 1=1 --',
        "NEAR(张江 示范区) AND *",
        "'; DROP TABLE govsite_search_searchdocument; --",
        "<script>alert(1)</script>",
        "张江\x00\x07\u202e示范区",
        "a:* & !b | c <-> d",
        "！！！",
        "   ",
        "张" * 51,
    ],
)
def test_hostile_and_odd_input_never_fails(client: Client, query: str) -> None:
    response = get(client, {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    api = get(client, {"q": query}, "/search/api/")
    assert api.status_code in (200, 400)
    assert api["Content-Type"].startswith("application/json")


def test_bad_parameters_give_messages(client: Client) -> None:
    html = get(client, {"q": "张江", "page": "abc", "date_from": "not-a-date", "type": "x"}).content.decode()
    assert "参数无效" in html and "<mark>张江</mark>" in html
    assert "请输入搜索词" in get(client, {"q": ""}).content.decode()
    assert "搜索词过长" in get(client, {"q": "张" * 51}).content.decode()
    assert get(client, {"q": ""}, "/search/api/").status_code == 400


def test_rate_limit_answers_429_in_chinese(client: Client, settings) -> None:
    settings.GOVSITE_SEARCH_RATE_LIMIT = 2
    for _ in range(2):
        assert get(client, {"q": "张江"}).status_code == 200
    response = get(client, {"q": "张江"})
    assert response.status_code == 429 and "搜索过于频繁" in response.content.decode()
    assert get(client, {"q": "张江"}, "/search/api/").status_code == 429


def test_hot_words_and_promoted_results(client: Client) -> None:
    from django.core.cache import cache

    from govsite.search.models import HotWord

    HotWord.objects.create(site=None, word="集成电路", status=HotWord.Status.APPROVED)  # see test_hot_words
    cache.clear()
    html = get(client, {"q": "张江"}).content.decode()
    assert "热门搜索" in html and "集成电路" in html
    target = ColumnPage.objects.descendant_of(Site.objects.get(hostname="kjt.localhost").root_page).get(
        slug="zcwj"
    )
    SearchPromotion.objects.create(site=None, keyword="张江", page=target, description="相关政策")
    data = get(client, {"q": "张江"}, "/search/api/").json()
    assert data["promoted"][0]["title"] == target.title


def test_api_shape(client: Client) -> None:
    data = get(client, {"q": "TD-LTE"}, "/search/api/").json()
    assert data["total"] == 1
    result = data["results"][0]
    assert result["url"].startswith("http://kjt.localhost/kjdt/mtjj/")
    assert "<mark>TD-LTE</mark>" in result["snippet_html"]
    assert set(result) >= {"title", "title_html", "url", "snippet_html", "type", "site", "column", "pub_date"}


# --- index upkeep ----------------------------------------------------------------------------
def new_article(title: str, body: str = "<p>正文</p>") -> ArticlePage:
    column = ColumnPage.objects.get(slug="gzdt")
    article = ArticlePage(title=title, source="测试", body=body)
    column.add_child(instance=article)
    return article


def indexed(query: str) -> set[int]:
    return set(found_pages(query))


def test_publish_unpublish_and_delete_update_the_index_at_once() -> None:
    article = new_article("墨子号地面站建成", "<p>乌兰察布建成墨子号地面试验站。</p>")
    assert article.pk not in indexed("墨子号地面")  # a draft is never indexed
    article.save_revision().publish()
    assert article.pk in indexed("墨子号地面")
    article.unpublish()
    assert article.pk not in indexed("墨子号地面")
    article.save_revision().publish()
    Page.objects.get(pk=article.pk).delete()
    assert not SearchDocument.objects.filter(page_id=article.pk).exists()
    assert not indexed("墨子号地面")


def test_move_updates_the_address() -> None:
    article = new_article("稀土新材料项目签约")
    article.save_revision().publish()
    target = ColumnPage.objects.get(slug="msdt")
    Page.objects.get(pk=article.pk).move(target, pos="last-child")
    doc = SearchDocument.objects.get(page_id=article.pk)
    assert doc.url_path.startswith("/kjdt/msdt/") and doc.column_id == target.pk


def test_private_pages_are_not_searchable() -> None:
    column = ColumnPage.objects.get(slug="mtjj")
    restriction = PageViewRestriction.objects.create(page=column, restriction_type="login")
    assert not indexed("罗家立")
    restriction.delete()
    assert indexed("罗家立")


@pytest.mark.parametrize(
    ("name", "maker", "phrase"),
    [
        ("guide.docx", docx_bytes, "鄂尔多斯氢能示范项目申报须知"),
        ("list.xlsx", xlsx_bytes, "巴彦淖尔智慧草业平台"),
    ],
)
def test_attachment_text_is_extracted_and_indexed(name: str, maker, phrase: str) -> None:
    article = new_article("附件测试文章")
    article.save_revision().publish()
    Document = get_document_model()
    document = Document(title="附件")
    document.file.save(name, ContentFile(maker(phrase)), save=False)
    document.save()
    ArticleAttachment.objects.create(page=article, document=document)
    article.save_revision().publish()
    assert article.pk in indexed(phrase[2:8])
    # Replacing the file re-extracts and re-indexes at once.
    document.file.save(name, ContentFile(maker("全新的附件内容")), save=False)
    document.file_hash = ""
    document.save()
    assert article.pk in indexed("全新的附件内容")


def test_demo_pdf_attachment_is_indexed() -> None:
    assert indexed("govsite sample attachment")


def test_reindex_command_rebuilds_the_same_index() -> None:
    before = set(SearchDocument.objects.values_list("page_id", flat=True))
    out = io.StringIO()
    call_command("reindex", stdout=out)
    assert "已索引" in out.getvalue()
    assert set(SearchDocument.objects.values_list("page_id", flat=True)) == before
    assert indexed("罗家立")


def narrow_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """A window of 5 searched in ranges of one and two documents: every code path of the
    newest-first walk (PostgreSQL: with and without the GIN index) runs on the demo data."""
    from govsite.search import backends

    monkeypatch.setattr(backends, "RANK_WINDOW", 5)
    monkeypatch.setattr(backends, "FIRST_SPAN", 1)
    monkeypatch.setattr(backends, "PLAIN_SCAN_ROWS", 2)


def matching_ids_by_date(query: str, filters: Filters) -> list[int]:
    """Every match, newest first, ordered by the ORM (not by the backend under test)."""
    ids = set(get_backend().search(parse_query(query), filters, limit=10_000))
    return list(
        SearchDocument.objects.filter(pk__in=ids).order_by("-pub_date", "-pk").values_list("pk", flat=True)
    )


def test_relevance_ranks_exactly_the_newest_matches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Relevance is computed over the RANK_WINDOW newest matches, found range by range from the
    newest documents: the same documents, in the order the full ranking gives them."""
    query = parse_query("科技")
    everything = get_backend().search(query, Filters(), limit=10_000)
    assert len(everything) > 6
    newest = set(sorted(everything)[-5:])
    narrow_window(monkeypatch)
    assert get_backend().search(query, Filters(), limit=10) == [i for i in everything if i in newest]


@pytest.mark.parametrize("scope", ["cluster", "site"])
@pytest.mark.parametrize("window", ["wide", "narrow"])
@pytest.mark.parametrize("table_rows", [1, 10**9])
def test_date_order_is_exact_on_every_page(
    monkeypatch: pytest.MonkeyPatch, scope: str, window: str, table_rows: int
) -> None:
    """Sorted by date: within the window, or beyond it through the newest-first indexes (PostgreSQL
    takes the GIN index instead for a rare word deep in its pages; table_rows steers that choice)."""
    from govsite.search import backends

    filters = Filters(site_ids=[Site.objects.get(hostname=KJT).pk]) if scope == "site" else Filters()
    expected = matching_ids_by_date("科技", filters)
    assert len(expected) > 6
    if window == "narrow":
        narrow_window(monkeypatch)
    monkeypatch.setattr(backends.PostgresBackend, "_table_rows", lambda self: table_rows)
    query = parse_query("科技")
    pages = [get_backend().search(query, filters, "date", offset, 3) for offset in range(0, len(expected), 3)]
    assert [i for page in pages for i in page] == expected


def test_counts_beyond_the_exact_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite counts exactly up to COUNT_CAP, then says "at least"; PostgreSQL counts exactly up
    to the window, then estimates from a sample (the whole table when it is this small)."""
    from govsite.search import backends

    query = parse_query("科技")
    exact = get_backend().count(query, Filters())
    assert exact.kind == "exact" and exact.value > 6
    narrow_window(monkeypatch)
    monkeypatch.setattr(backends, "COUNT_CAP", 5)
    beyond = get_backend().count(query, Filters())
    if get_backend().vendor == "postgresql":  # the estimate keeps two significant digits
        assert beyond == Count(two_digits(exact.value), "about")
    else:
        assert beyond == Count(5, "at_least")


def test_estimates_keep_two_significant_digits() -> None:
    assert [two_digits(n) for n in (0, 7, 99, 100, 1001, 1250, 23456, 98765)] == [
        0,
        7,
        99,
        100,
        1000,
        1300,
        23000,
        99000,
    ]


@pytest.mark.parametrize(
    ("count", "shown", "flag"),
    [
        (Count(23000, "about"), "约 23000 条", "total_is_estimate"),
        (Count(5000, "at_least"), "5000 条以上", "total_is_lower_bound"),
    ],
)
def test_page_and_api_say_when_a_count_is_not_exact(
    client: Client, monkeypatch: pytest.MonkeyPatch, count: Count, shown: str, flag: str
) -> None:
    monkeypatch.setattr(type(get_backend()), "count", lambda self, query, filters: count)
    html = get(client, {"q": "科技"}).content.decode()
    assert shown in html
    data = get(client, {"q": "科技"}, "/search/api/").json()
    assert data["total"] == count.value and data[flag] is True


@pytest.mark.sqlite  # SQLite's query planner (FTS5 joins); PostgreSQL leaves it out, never skips it
def test_sqlite_plans_are_driven_by_the_full_text_index() -> None:
    """A site-scoped search must walk FTS5's matches and look up their rows, never walk the site's
    rows probing FTS5 for each (seconds at 100,000 articles, as SQLite chose before CROSS JOIN)."""
    from django.test.utils import CaptureQueriesContext

    filters = Filters(site_ids=[Site.objects.get(hostname=KJT).pk])
    query = parse_query("科技")
    backend = get_backend()
    with CaptureQueriesContext(connection) as queries:
        backend.count(query, filters)
        backend.search(query, filters, "relevance")
        backend.search(query, filters, "date")  # within the window: every match sorted
    assert len(queries.captured_queries) == 3  # the count is asked once
    for captured in queries.captured_queries:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + captured["sql"])
            steps = [row[-1] for row in cursor.fetchall() if row[-1].startswith(("SCAN", "SEARCH"))]
        assert steps[0].startswith("SCAN govsite_search_fts VIRTUAL TABLE"), steps


def test_whole_site_search_does_not_keep_the_column_filter(client: Client) -> None:
    column = ColumnPage.objects.get(slug="mtjj")
    params = {"q": "教育统计", "scope": "all", "column": column.pk}
    assert get(client, params, "/search/api/").json()["total"] >= 1  # the other site's article
    html = get(client, params).content.decode()
    assert "<mark>教育统计</mark>" in html
    assert f'<option value="{column.pk}" selected' not in html


def test_articles_rank_first_for_equal_relevance_and_columns_have_no_pub_date(client: Client) -> None:
    home = Site.objects.get(hostname=KJT).root_page
    column = ColumnPage(
        title="量子通信专题",
        column_type="专题专栏",
        description="量子通信",
        keywords="量子",
        show_in_menus=False,
    )
    home.add_child(instance=column)
    column.save_revision().publish()
    # the same words in the same fields: equal relevance; the article is the older page
    article = ArticlePage(title="量子通信专题", summary="量子通信", body="<p>。</p>", source="。")
    article.pub_date = timezone.make_aware(datetime(2020, 5, 6, 9, 0))
    column.add_child(instance=article)
    article.save_revision().publish()
    results = get(client, {"q": "量子通信专题"}, "/search/api/").json()["results"]
    assert [r["type"] for r in results[:2]] == ["article", "column"]
    assert results[0]["pub_date"].startswith("2020-05-06") and results[1]["pub_date"] is None
    html = get(client, {"q": "量子通信专题"}).content.decode()
    assert html.count("发布日期：") == 1
