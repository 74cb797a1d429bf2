"""Wagtail redirects on the published sites: the per-site map (publishing/redirects.py), kept in step
with the redirects and their target pages, and answered by the embedded server before its 404."""

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from govsite.content.models import ArticlePage, ColumnPage
from govsite.content.tests.helpers import path_of, seed_article
from govsite.publishing import jobs, signal_handlers
from govsite.publishing.layout import GONE_SUFFIX, site_dir, status_file
from govsite.publishing.publisher import Address
from govsite.publishing.redirects import (
    MAP_FILE,
    NGINX_PATH_MAP,
    NGINX_QUERY_MAP,
    write_map_files,
    write_redirect_map,
)
from govsite.publishing.server import FileServer

from .test_server import JYT, KJT, DjangoStub, call, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def sites(settings: Any, tmp_path: Path) -> tuple[Site, Site]:
    """Both sites "published" (a directory with a page) under a public root of this test's own."""
    settings.GOVSITE_PUBLIC_DIR = tmp_path / "public"
    for host in (KJT, JYT):
        publish(host, "/", f"<html>{host}</html>".encode())
    return Site.objects.get(hostname=KJT), Site.objects.get(hostname=JYT)


def redirect_map(host: str) -> dict[str, list[Any]]:
    """The site's map as written ({} when none was written)."""
    file = site_dir(host) / MAP_FILE
    data: dict[str, list[Any]] = json.loads(file.read_text())["redirects"] if file.exists() else {}
    return data


def test_redirect_changes_rewrite_only_the_maps(sites: tuple[Site, Site], django_capture_on_commit_callbacks):
    kjt, _jyt = sites
    index = site_dir(KJT) / "index.html"
    os.utime(index, (1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        redirect = Redirect.add_redirect("/old/news.asp?id=3", "https://www.gov.cn/一号", site=kjt)
    assert redirect_map(KJT) == {"/old/news.asp?id=3": [301, "https://www.gov.cn/%E4%B8%80%E5%8F%B7"]}
    assert redirect_map(JYT) == {}  # another site's redirect
    assert (
        '"/old/news.asp?id=3" "301 https://www.gov.cn/%E4%B8%80%E5%8F%B7";'
        in (site_dir(KJT) / NGINX_QUERY_MAP).read_text()
    )

    redirect.is_permanent = False
    with django_capture_on_commit_callbacks(execute=True):
        redirect.save()
    assert redirect_map(KJT)["/old/news.asp?id=3"][0] == 302

    with django_capture_on_commit_callbacks(execute=True):  # all sites: every site's map
        Redirect.add_redirect("/gywm", "/wzsm/", is_permanent=True)
    assert redirect_map(JYT) == {"/gywm": [301, "/wzsm/"]}
    assert '"/gywm/" "301 /wzsm/";' in (site_dir(JYT) / NGINX_PATH_MAP).read_text()

    redirect.site = None  # moved to "all sites": a second all-sites one with the same path
    redirect.old_path = "/old/other.asp"
    with django_capture_on_commit_callbacks(execute=True):
        redirect.save()
    assert "/old/news.asp?id=3" not in redirect_map(KJT)
    assert redirect_map(JYT)["/old/other.asp"] == [302, "https://www.gov.cn/%E4%B8%80%E5%8F%B7"]

    with django_capture_on_commit_callbacks(execute=True):
        Redirect.objects.filter(old_path="/gywm").delete()
    assert "/gywm" not in redirect_map(KJT) and "/gywm" not in redirect_map(JYT)
    assert index.stat().st_mtime == 1  # the site itself was not published again


def test_many_redirects_in_one_transaction_write_the_map_once(
    sites: tuple[Site, Site], django_capture_on_commit_callbacks, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[list[Site]] = []
    monkeypatch.setattr(signal_handlers, "write_all_redirect_maps", written.append)
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(5):  # an import, say
            Redirect.add_redirect(f"/bulk/{number}.html", "/kjdt/", site=sites[0])
    assert written == [[sites[0]]]


def test_a_site_redirect_wins_over_an_all_sites_one(sites: tuple[Site, Site]) -> None:
    kjt, _ = sites
    Redirect.add_redirect("/zwgk", "/all/")
    Redirect.add_redirect("/zwgk", "/kjt-own/", site=kjt, is_permanent=False)
    write_redirect_map(kjt)
    write_redirect_map(Site.objects.get(hostname=JYT))
    assert redirect_map(KJT)["/zwgk"] == [302, "/kjt-own/"]
    assert redirect_map(JYT)["/zwgk"] == [301, "/all/"]


def test_a_page_target_follows_the_page_and_its_visibility(
    sites: tuple[Site, Site], django_capture_on_commit_callbacks
):
    kjt, _ = sites
    article = seed_article()
    with django_capture_on_commit_callbacks(execute=True):
        Redirect.add_redirect("/old/t1.htm", article, site=kjt)
        Redirect.add_redirect("/elsewhere", article)  # all sites: absolute on another site
    assert redirect_map(KJT)["/old/t1.htm"] == [301, path_of(article)]
    assert redirect_map(JYT)["/elsewhere"] == [301, kjt.root_url + path_of(article)]

    with django_capture_on_commit_callbacks(execute=True):
        article.move(ColumnPage.objects.descendant_of(kjt.root_page).get(slug="gzdt"), pos="last-child")
    moved = ArticlePage.objects.get(pk=article.pk)
    assert path_of(moved).startswith("/kjdt/gzdt/")
    assert redirect_map(KJT)["/old/t1.htm"] == [301, path_of(moved)]

    with django_capture_on_commit_callbacks(execute=True):
        moved.unpublish()
    assert "/old/t1.htm" not in redirect_map(KJT)  # not public: left out (and logged)
    report = write_redirect_map(kjt)
    assert ("/old/t1.htm", "目标页面未公开") in report.dropped


def test_a_full_rebuild_writes_the_map(sites: tuple[Site, Site], monkeypatch: pytest.MonkeyPatch) -> None:
    kjt, _ = sites
    Redirect.objects.bulk_create([Redirect(old_path="/imported/1.html", site=kjt, redirect_link="/a/")])
    monkeypatch.setattr(jobs, "site_addresses", lambda site: iter([Address("/robots.txt", versioned=False)]))
    jobs.rebuild_site(kjt)
    assert redirect_map(KJT) == {"/imported/1.html": [301, "/a/"]}


def test_an_unpublished_site_gets_no_directory(sites: tuple[Site, Site], tmp_path: Path, settings: Any):
    settings.GOVSITE_PUBLIC_DIR = tmp_path / "elsewhere"
    write_redirect_map(sites[0])
    assert not site_dir(KJT).exists()  # the file servers would take it for a published site


# --- the embedded server -----------------------------------------------------------------------
@pytest.fixture
def server(sites: tuple[Site, Site]) -> FileServer:
    publish(KJT, "/404.html", "<html>科技厅：页面不存在</html>".encode())
    publish(KJT, "/kept.html", b"<html>kept</html>")
    gone = site_dir(KJT) / status_file("gone.html", GONE_SUFFIX)
    gone.write_bytes(b"<html>withdrawn</html>")
    write_map_files(
        site_dir(KJT),
        {
            "/old/news.asp?id=3&type=a": (301, "/kjdt/t3.html"),
            "/old/news.asp": (302, "/kjdt/"),
            "/旧栏目/页面": (301, "/%E6%96%B0/"),
            "/kept.html": (301, "/never/"),
            "/gone.html": (301, "/never/"),
        },
    )
    return FileServer(DjangoStub())


def test_the_embedded_server_answers_redirects_from_the_map(server: FileServer, django_assert_num_queries):
    with django_assert_num_queries(0):
        cases = {
            "/old/news.asp?id=3&type=a": (301, "/kjdt/t3.html"),
            "/old/news.asp?type=a&id=3": (301, "/kjdt/t3.html"),  # parameters in any order
            "/old/news.asp?id=4": (302, "/kjdt/"),  # no such query: the path alone
            "/old/news.asp/": (302, "/kjdt/"),
            "/旧栏目/页面/": (301, "/%E6%96%B0/"),
        }
        for url, (status, location) in cases.items():
            path, _, query = url.partition("?")
            result = call(server, path, query=query)
            assert (result.status, result.headers["location"]) == (status, location), url
        assert "cache-control" not in call(server, "/old/news.asp", query="id=3&type=a").headers
        assert call(server, "/old/news.asp").headers["cache-control"] == "no-cache"
        # an address that answers keeps answering, as in the application (redirects only on a 404)
        assert call(server, "/kept.html").status == 200
        assert call(server, "/gone.html").status == 410
        assert call(server, "/nothing.html").status == 404
        assert call(server, "/.redirects.json").status == 404
        assert call(server, "/x", host=JYT).status == 404  # another site's map


def test_the_embedded_server_reloads_a_changed_map(server: FileServer):
    assert call(server, "/new-old").status == 404
    time.sleep(0.01)
    write_map_files(site_dir(KJT), {"/new-old": (301, "/here/")})
    result = call(server, "/new-old")
    assert (result.status, result.headers["location"]) == (301, "/here/")
    (site_dir(KJT) / MAP_FILE).write_text("{not json")
    assert call(server, "/new-old").status == 404  # a broken map is no map, never a 500
