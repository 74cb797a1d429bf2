"""Where old pages come from: a wget mirror's names, and the polite crawl of a live old site."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from wagtail.models import Site

from govsite.content.models import ArticlePage
from govsite.legacy.columns import ColumnMapping
from govsite.legacy.importer import Importer
from govsite.legacy.models import CrawlItem
from govsite.legacy.sources import CrawlSource, DirectorySource

from .helpers import TRS_PATH, article_html


def test_a_query_kept_in_a_wget_file_name_is_read_back_as_the_address(tmp_path: Path) -> None:
    saved = tmp_path / "www.old.gov.cn" / "xwzx" / "show.asp?id=17&t=2.html"
    saved.parent.mkdir(parents=True)
    saved.write_bytes(b"<html></html>")
    source = DirectorySource(tmp_path)
    assert [page.url for page in source.pages()] == ["http://www.old.gov.cn/xwzx/show.asp?id=17&t=2"]


class QuietHandler(SimpleHTTPRequestHandler):
    requested: list[str]

    def log_message(self, format: str, *args: object) -> None:
        type(self).requested.append(self.path)


@pytest.fixture
def old_site(tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    """The old site served over HTTP from tmp_path, with the paths it was asked for."""
    pages = {
        "robots.txt": b"User-agent: *\nDisallow: /private/\n",
        "index.html": (
            f'<html><body><a href="/{TRS_PATH}">新闻</a> <a href="/private/secret.html">内部</a>'
            '<a href="a/index.html">循环</a> <a href="http://elsewhere.example/x.html">外站</a></body></html>'
        ).encode(),
        TRS_PATH: article_html("抓取到的一篇稿件"),
        "private/secret.html": article_html("不应抓取的稿件"),
        "a/index.html": b'<html><body><a href="a/index.html">again</a></body></html>',
    }
    for path, data in pages.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(data)
    requested: list[str] = []
    handler = type("Handler", (QuietHandler,), {"requested": requested})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/index.html", requested
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.django_db
def test_the_crawl_obeys_robots_stays_on_the_site_stops_loops_and_resumes(old_site, settings) -> None:
    settings.GOVSITE_IMPORT_CRAWL_RATE = 10
    start, requested = old_site
    site = Site.objects.get(hostname="kjt.localhost")
    report = Importer(site, CrawlSource(site, start), ColumnMapping(), limit=2).execute()
    assert sum(report.counts.values()) == 2  # stopped by --limit: the rest waits in the frontier
    report = Importer(site, CrawlSource(site, start), ColumnMapping()).execute()
    assert ArticlePage.objects.filter(title="抓取到的一篇稿件").count() == 1
    assert not ArticlePage.objects.filter(title="不应抓取的稿件").exists()
    assert "/private/secret.html" not in requested
    assert not any("elsewhere" in path for path in requested)
    assert not [p for p in requested if p.count("a/") >= 3]  # a/a/a/… is a loop, not followed
    assert not CrawlItem.objects.filter(start_url=start, done=False).exists()
    assert any("robots.txt" in why for _url, why in report.skipped)
