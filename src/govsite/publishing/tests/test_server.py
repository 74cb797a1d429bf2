"""The embedded file server (govsite.publishing.server), called as a WSGI application.

A fixture tree written with layout.py's functions stands in for the publisher; a recording stub
stands in for Django, so each test can tell whether a request reached the application at all.
"""

import gzip
import io
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client

from govsite.publishing import layout
from govsite.publishing.server import (
    CHUNK_SIZE,
    IMMUTABLE_CACHE,
    STREAM_THRESHOLD,
    FileServer,
    http_date,
    read_default_hostname,
    security_headers,
    write_default_hostname,
)

KJT, JYT = "kjt.localhost", "jyt.localhost"
ARTICLE = "/kjdt/mtjj/202103/t20210331_123.html"


class DjangoStub:
    """Records what reaches "Django" and answers 200 "django"."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        self.paths.append(environ["PATH_INFO"])
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"django"]


class Result:
    def __init__(self, status: str, headers: list[tuple[str, str]], body: Iterable[bytes]) -> None:
        self.status_line = status
        self.status = int(status.split()[0])
        self.headers = {k.lower(): v for k, v in headers}
        self.header_list = headers
        self.iterable = body
        self.body = b"".join(body)
        if hasattr(body, "close"):
            body.close()


def published_file(host: str, url_path: str) -> Path:
    """Where the publisher writes the file of `url_path`."""
    rel = layout.relative_file(url_path)
    assert rel is not None, url_path
    return layout.site_dir(host) / rel


def publish(host: str, url_path: str, body: bytes) -> Path:
    """Write one published file (and its .gz sibling) where the publisher would."""
    target = published_file(host, url_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)
    target.with_name(target.name + ".gz").write_bytes(gzip.compress(body, mtime=0))
    return target


@pytest.fixture
def tree(settings: Any, tmp_path: Path) -> Path:
    settings.GOVSITE_PUBLIC_DIR = tmp_path / "public"
    settings.STATIC_ROOT = tmp_path / "static"
    settings.MEDIA_ROOT = tmp_path / "media"
    publish(KJT, "/", "<html>科技厅首页</html>".encode())
    publish(KJT, ARTICLE, ("<html>张江示范区" + "文章" * 400 + "</html>").encode())
    publish(KJT, "/kjdt/mtjj/", "<html>媒体聚焦</html>".encode())
    publish(KJT, "/404.html", "<html>科技厅：页面不存在</html>".encode())
    publish(JYT, "/", "<html>教育厅首页</html>".encode())
    publish(JYT, "/404.html", "<html>教育厅：页面不存在</html>".encode())
    write_default_hostname(KJT)
    return tmp_path


@pytest.fixture
def django_stub() -> DjangoStub:
    return DjangoStub()


@pytest.fixture
def server(tree: Path, django_stub: DjangoStub) -> FileServer:
    return FileServer(django_stub)


def call(
    app: FileServer, path: str, host: str = KJT, method: str = "GET", query: str = "", **headers: str
) -> Result:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        # PEP 3333: the decoded path as latin-1 characters, as granian passes it
        "PATH_INFO": path.encode("utf-8").decode("latin-1"),
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": host,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        **{f"HTTP_{k.upper()}": v for k, v in headers.items()},
    }
    captured: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        captured["status"], captured["headers"] = status, response_headers

    body = app(environ, start_response)
    return Result(captured["status"], captured["headers"], body)


def test_article_is_the_published_file_with_caching_and_security_headers(
    server: FileServer, django_stub: DjangoStub
) -> None:
    target = published_file(KJT, ARTICLE)
    r = call(server, ARTICLE)
    assert r.status == 200
    assert r.body == target.read_bytes()
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert r.headers["content-length"] == str(target.stat().st_size)
    assert r.headers["cache-control"] == "public, max-age=60"
    assert r.headers["vary"] == "Accept-Encoding"
    st = target.stat()
    assert r.headers["etag"] == f'"{int(st.st_mtime):x}-{st.st_size:x}"'  # nginx's format
    assert r.headers["last-modified"] == http_date(st.st_mtime)
    for name, value in security_headers():
        assert r.headers[name.lower()] == value
    assert "content-encoding" not in r.headers
    assert django_stub.paths == []


def test_directory_address_serves_index_and_slashless_address_redirects(server: FileServer) -> None:
    assert call(server, "/kjdt/mtjj/").body == "<html>媒体聚焦</html>".encode()
    assert call(server, "/").body == "<html>科技厅首页</html>".encode()
    r = call(server, "/kjdt/mtjj")
    assert (r.status, r.headers["location"]) == (301, "/kjdt/mtjj/")


def test_gzip_sibling_when_the_client_accepts_it(server: FileServer) -> None:
    target = published_file(KJT, ARTICLE)
    r = call(server, ARTICLE, accept_encoding="gzip, deflate, br")
    assert r.status == 200
    assert r.headers["content-encoding"] == "gzip"
    assert r.body == target.with_name(target.name + ".gz").read_bytes()
    assert gzip.decompress(r.body) == target.read_bytes()
    assert r.headers["vary"] == "Accept-Encoding"
    assert "content-encoding" not in call(server, ARTICLE, accept_encoding="gzip;q=0, br").headers
    assert "content-encoding" not in call(server, ARTICLE, accept_encoding="identity").headers


def test_conditional_requests_and_head(server: FileServer) -> None:
    first = call(server, ARTICLE)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    r = call(server, ARTICLE, if_none_match=etag)
    assert (r.status, r.body) == (304, b"")
    assert r.headers["etag"] == etag
    assert call(server, ARTICLE, if_none_match='W/"other", ' + etag).status == 304
    assert call(server, ARTICLE, if_none_match='"other"').status == 200
    assert call(server, ARTICLE, if_modified_since=modified).status == 304
    assert call(server, ARTICLE, if_modified_since="Thu, 01 Jan 1998 00:00:00 GMT").status == 200
    assert call(server, ARTICLE, if_modified_since="not a date").status == 200
    head = call(server, ARTICLE, method="HEAD")
    assert (head.status, head.body) == (200, b"")
    assert head.headers["content-length"] == first.headers["content-length"]


def test_missing_page_is_the_sites_404_without_django(server: FileServer, django_stub: DjangoStub) -> None:
    r = call(server, "/kjdt/nothing-here/t20990101_1.html")
    assert r.status == 404
    assert r.body == "<html>科技厅：页面不存在</html>".encode()
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert r.headers["x-frame-options"] == "DENY"
    # the 404 page itself is not an address (nginx: location = /404.html { internal; })
    assert call(server, "/404.html").status == 404
    r = call(server, "/nothing", host=JYT, accept_encoding="gzip")
    assert r.status == 404
    assert gzip.decompress(r.body) == "<html>教育厅：页面不存在</html>".encode()
    # a missing address of the elder version: that version's 404 page, as Django would render it
    publish(KJT, "/elder/404.html", "<html>长辈版：页面不存在</html>".encode())
    r = call(server, "/elder/kjdt/nothing-here/")
    assert (r.status, r.body) == (404, "<html>长辈版：页面不存在</html>".encode())
    assert call(server, "/elder/404.html").status == 404
    assert django_stub.paths == []


def test_host_routing_and_default_site(server: FileServer, django_stub: DjangoStub) -> None:
    assert call(server, "/", host=JYT).body == "<html>教育厅首页</html>".encode()
    assert call(server, "/", host="JYT.localhost:8000").body == "<html>教育厅首页</html>".encode()
    # any other accepted hostname gets the default site, as Site.find_for_request does
    assert call(server, "/", host="127.0.0.1:8000").body == "<html>科技厅首页</html>".encode()
    assert call(server, "/", host="other.localhost").body == "<html>科技厅首页</html>".encode()
    # hosts Django would refuse (ALLOWED_HOSTS) or that are malformed: 400, never a file outside
    for host in ("evil.example.com", "..", "kjt.localhost/../..", "[::1", "a b", "%2e%2e"):
        assert call(server, "/", host=host).status == 400, host
    assert django_stub.paths == []


def test_default_site_marker(tree: Path) -> None:
    root = tree / "public"
    assert read_default_hostname(root) == KJT
    (root / ".default-site").write_text("jyt.localhost\n")
    assert read_default_hostname(root) == JYT
    (root / ".default-site").write_text("../../etc")
    assert read_default_hostname(root) is None
    (root / ".default-site").unlink()
    assert read_default_hostname(root) is None
    (root / "_default").symlink_to(root / JYT)
    assert read_default_hostname(root) == JYT


def test_dynamic_addresses_other_methods_and_unpublished_sites_go_to_django(
    tree: Path, server: FileServer, django_stub: DjangoStub, settings: Any
) -> None:
    settings.GOVSITE_DYNAMIC_PREFIXES = ["/search/", "/admin/"]
    for path in ("/search/", "/admin/pages/", "/search", "//search/", "/elder/search/", "/elder/search"):
        assert call(server, path).body == b"django", path  # the elder version's search page too
    assert call(server, ARTICLE, method="POST").body == b"django"
    # nothing published for the host and no default site recorded: the application renders it
    (tree / "public" / ".default-site").unlink()
    unpublished = FileServer(django_stub)
    assert call(unpublished, "/", host="new.localhost").body == b"django"
    assert call(unpublished, "/", host=KJT).body == "<html>科技厅首页</html>".encode()


@pytest.mark.parametrize(
    "path",
    [
        "/\x00",
        "/kjdt/%00.html",
        "/kjdt/\x00/index.html",
        "/../../../etc/passwd",
        "/kjdt/../../../../etc/passwd",
        "/..",
        "/.default-site",
        "/kjdt/.index.html.123.tmp",
        "/kjdt\\..\\..\\etc\\passwd",
        "/" + "a" * 5000,
        "/" + "长" * 300 + ".html",
        "/a/" * 400,
    ],
)
def test_odd_paths_are_404_never_500_never_outside(
    server: FileServer, django_stub: DjangoStub, path: str
) -> None:
    r = call(server, path)
    assert r.status in (400, 404), r.status_line
    assert b"root:" not in r.body
    assert django_stub.paths == []


def test_undecodable_path_is_400(server: FileServer) -> None:
    r = Result(*_raw_call(server, "/\xff\xfe.html"))  # latin-1 characters of bytes that are not UTF-8
    assert r.status == 400


def _raw_call(app: FileServer, raw_path: str) -> tuple[str, list[tuple[str, str]], Iterable[bytes]]:
    captured: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        captured["status"], captured["headers"] = status, headers

    body = app({"REQUEST_METHOD": "GET", "PATH_INFO": raw_path, "HTTP_HOST": KJT}, start_response)
    return captured["status"], captured["headers"], body


def test_big_files_are_streamed_in_chunks(server: FileServer, tree: Path) -> None:
    big = tree / "media" / "images" / "big.png"
    big.parent.mkdir(parents=True)
    big.write_bytes(os.urandom(STREAM_THRESHOLD * 3 + 17))
    environ_result: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        environ_result["status"] = status

    body = server(
        {"REQUEST_METHOD": "GET", "PATH_INFO": "/media/images/big.png", "HTTP_HOST": KJT}, start_response
    )
    assert not isinstance(body, list)  # an iterator over the open file, not the file in memory
    chunks = list(body)
    body.close()  # type: ignore[attr-defined]
    assert max(len(c) for c in chunks) <= CHUNK_SIZE
    assert b"".join(chunks) == big.read_bytes()
    r = call(server, "/media/images/big.png")
    assert (r.headers["content-type"], r.headers["cache-control"]) == ("image/png", "public, max-age=3600")


def test_media_and_static(server: FileServer, tree: Path, django_stub: DjangoStub) -> None:
    doc = tree / "media" / "documents" / "secret.pdf"
    doc.parent.mkdir(parents=True)
    doc.write_bytes(b"%PDF private")
    # documents go through /documents/ (Wagtail's permission checks), never straight from disk
    assert call(server, "/media/documents/secret.pdf").status == 404
    assert call(server, "/media/missing.png").status == 404
    # before collectstatic there is no manifest: WhiteNoise (in Django) finds files in the apps
    assert call(server, "/static/govsite/css/site.css").body == b"django"
    static = tree / "static"
    (static / "govsite" / "css").mkdir(parents=True)
    (static / "staticfiles.json").write_text("{}")
    (static / "govsite" / "css" / "site.0123456789ab.css").write_text("body{}")
    (static / "govsite" / "css" / "site.css").write_text("body{}")
    hashed = call(server, "/static/govsite/css/site.0123456789ab.css")
    assert (hashed.status, hashed.body) == (200, b"body{}")
    assert hashed.headers["cache-control"] == IMMUTABLE_CACHE
    assert hashed.headers["content-type"] == "text/css; charset=utf-8"
    assert call(server, "/static/govsite/css/site.css").headers["cache-control"] == "public, max-age=60"
    assert call(server, "/static/nope.css").status == 404
    assert django_stub.paths == ["/static/govsite/css/site.css"]


@pytest.mark.django_db
def test_files_send_the_same_security_headers_as_django(server: FileServer) -> None:
    dynamic = Client().get("/robots.txt", HTTP_HOST=KJT)
    assert dynamic.status_code == 200
    served = call(server, ARTICLE).headers

    def directives(policy: str) -> set[str]:
        return {d.strip() for d in policy.split(";") if d.strip()}

    assert directives(served["content-security-policy"]) == directives(dynamic["Content-Security-Policy"])
    for name in (
        "X-Content-Type-Options",
        "Referrer-Policy",
        "X-Frame-Options",
        "Cross-Origin-Opener-Policy",
    ):
        assert served[name.lower()] == dynamic[name], name


def test_serve_command_runs_granian_wsgi_on_the_file_server() -> None:
    with mock.patch("granian.server.Server") as server_cls:
        call_command("serve", "--port", "8123", "--workers", "3", stdout=io.StringIO())
    args, kwargs = server_cls.call_args
    assert args == ("govsite.publishing.server:application",)
    assert (kwargs["address"], kwargs["port"], kwargs["workers"]) == ("127.0.0.1", 8123, 3)
    assert kwargs["interface"].value == "wsgi"
    server_cls.return_value.serve.assert_called_once()


def test_small_files_are_answered_from_memory_until_the_file_changes(server: FileServer, tree: Path) -> None:
    """A found page costs one stat() after its first request; a republished file (the publisher
    replaces it atomically) is sent at once, and its .gz twin is a separate answer."""
    first = call(server, ARTICLE)
    zipped = call(server, ARTICLE, accept_encoding="gzip")
    with mock.patch.object(FileServer, "open_file", side_effect=AssertionError("read from disk")):
        again, zipped_again = call(server, ARTICLE), call(server, ARTICLE, accept_encoding="gzip")
        not_modified = call(server, ARTICLE, if_none_match=first.headers["etag"])
        head = call(server, ARTICLE, method="HEAD")
    assert (again.status, again.body, again.header_list) == (200, first.body, first.header_list)
    assert zipped_again.body == zipped.body and zipped_again.headers["content-encoding"] == "gzip"
    assert (
        not_modified.status == 304
        and not_modified.body == b""
        and "content-length" not in not_modified.headers
    )
    assert head.status == 200 and head.body == b"" and head.headers["content-length"] == str(len(first.body))

    target = published_file(KJT, ARTICLE)
    tmp = target.with_name(".new.tmp")
    tmp.write_bytes(first.body.replace("张江".encode(), "临港".encode()))
    os.replace(tmp, target)
    assert "临港" in call(server, ARTICLE).body.decode()
    target.unlink()
    assert call(server, ARTICLE).status == 404


def test_the_memory_for_answers_is_bounded(server: FileServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("govsite.publishing.server.RESPONSE_CACHE_ENTRIES", 2)
    for path in ("/", ARTICLE, "/kjdt/mtjj/"):
        assert call(server, path).status == 200
    assert [key[1] for key in server._responses] == [ARTICLE, "/kjdt/mtjj/"]
    assert server._cached_bytes == sum(len(entry.body) for entry in server._responses.values())


def test_liveness_is_answered_without_django_and_readiness_by_django(
    server: FileServer, django_stub: DjangoStub
) -> None:
    """A web node runs `govsite serve` over the published tree: /healthz needs no application."""
    result = call(server, "/healthz", host="10.0.0.5")
    assert (result.status, result.body, result.headers["cache-control"]) == (200, b"ok\n", "no-store")
    assert django_stub.paths == []
    assert call(server, "/readyz", host="10.0.0.5").body == b"django"
    assert django_stub.paths == ["/readyz"]
