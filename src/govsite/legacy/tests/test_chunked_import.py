"""The importer's chunked write path (legacy/tree.py): new articles placed a chunk at a time end up
as `add_child` and `save_revision` would have left them (docs/import.md, Speed)."""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path
from typing import Any

import pytest
from wagtail.models import Page, PageLogEntry, Site
from wagtail.search.models import IndexEntry

from govsite.content.models import ArticlePage, ColumnPage
from govsite.core import bulk
from govsite.core.models import AuditRecord
from govsite.core.slugs import pinyin_slug
from govsite.legacy import importer
from govsite.legacy.models import ImportedPage

from .helpers import OLD_HOST, article_html, mirror, run

pytestmark = pytest.mark.django_db
TITLE = "迁移分批写入的同名稿件"


def corpus(root: Path, count: int) -> Path:
    """`count` TRS-addressed articles of one title (their slugs collide) in the 工作动态 column."""
    return mirror(
        root,
        {
            f"kjdt/gzdt/202301/t202301{n + 1:02d}_7700{n:02d}.html": article_html(
                TITLE, f"2023-01-{n + 1:02d} 10:00", body=f"<p>第{n}篇正文，说明分批写入的结果。</p>"
            )
            for n in range(count)
        },
    )


def test_a_chunked_import_keeps_the_tree_valid_and_the_articles_as_add_child_made_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, admin_client: Any, kjt_site: Site
) -> None:
    monkeypatch.setattr(importer, "CHUNK_PAGES", 2)  # chunks of 2, 2 and 1: placement across chunks
    column = ColumnPage.objects.get(url_path=f"{kjt_site.root_page.url_path}kjdt/gzdt/")
    children_before = column.get_children().count()
    report = run(corpus(tmp_path, 5))
    assert report.counts["imported"] == 5 and not report.failed
    assert all(len(problems) == 0 for problems in Page.find_problems())
    column.refresh_from_db()
    assert column.numchild == children_before + 5
    rows = ImportedPage.objects.filter(old_url__startswith=f"http://{OLD_HOST}/").order_by("old_url")
    articles = [ArticlePage.objects.get(pk=row.article_id) for row in rows]
    base = pinyin_slug(TITLE)
    assert [a.slug for a in articles] == [base, *(f"{base}-{n}" for n in range(2, 6))]
    for article in articles:
        assert article.get_parent().pk == column.pk and article.locale_id == column.locale_id
        assert article.url_path == f"{column.url_path}{article.slug}/"
        assert not article.live and article.has_unpublished_changes and article.draft_title == TITLE
        assert article.latest_revision is not None and article.latest_revision.as_object().title == TITLE
        # the history the admin shows, mirrored into the audit trail
        assert PageLogEntry.objects.filter(page=article, action="wagtail.create").count() == 1
        assert AuditRecord.objects.filter(event="wagtail.create", object_id=str(article.pk)).exists()
        assert IndexEntry.objects.filter(object_id=str(article.pk)).exists()  # searchable in the admin
    listing = admin_client.get(f"/admin/pages/{column.pk}/")
    assert listing.status_code == 200 and TITLE in listing.content.decode()
    edit = admin_client.get(f"/admin/pages/{articles[0].pk}/edit/")
    assert edit.status_code == 200
    history = admin_client.get(f"/admin/pages/{articles[0].pk}/history/")
    assert history.status_code == 200
    articles[0].get_latest_revision().publish()
    published = ArticlePage.objects.get(pk=articles[0].pk)
    assert published.live and published.url_path == articles[0].url_path
    assert all(len(problems) == 0 for problems in Page.find_problems())


def test_a_chunk_updates_the_search_and_reference_indexes_once_per_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each article is saved twice (created, revised): indexed once, in one task for the chunk."""
    calls: list[tuple[str, str, list[Hashable]]] = []
    enqueue_index = bulk.enqueue_index

    def spy(label: str, name: str, pks: list[Hashable]) -> None:
        calls.append((label, name, pks))
        enqueue_index(label, name, pks)

    monkeypatch.setattr(bulk, "enqueue_index", spy)
    run(corpus(tmp_path, 3))
    pages = [call for call in calls if call[:2] == ("govsite_content", "articlepage")]
    assert len(pages) == 1 and len(pages[0][2]) == 3
