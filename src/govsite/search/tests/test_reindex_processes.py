"""`govsite reindex --jobs 2` on a real database file: worker processes segment, one writes."""

import sqlite3

from govsite.testing import PublishedDemo, run_cli

COLUMNS = "page_id, site_id, url_path, column_id, kind, t_title, t_summary, t_body, t_source, t_attachments"


def index_rows(database: str) -> set[tuple]:
    with sqlite3.connect(database) as db:
        return set(db.execute(f"SELECT {COLUMNS} FROM govsite_search_searchdocument"))


def fts_hits(database: str, match: str) -> int:
    with sqlite3.connect(database) as db:
        sql = "SELECT count(*) FROM govsite_search_fts WHERE govsite_search_fts MATCH ?"
        return db.execute(sql, [match]).fetchone()[0]


def test_parallel_reindex_rebuilds_exactly_what_publishing_indexed(published_demo: PublishedDemo) -> None:
    database = str(published_demo.database)
    before = index_rows(database)
    hits_before = fts_hits(database, "科技")
    assert len(before) > 50 and hits_before > 0

    out = run_cli(published_demo.env, "reindex", "--jobs", "2", "-v1")

    assert "已索引" in out
    assert index_rows(database) == before  # same pages, addresses, columns and tokens
    assert fts_hits(database, "科技") == hits_before  # and the full-text index follows
