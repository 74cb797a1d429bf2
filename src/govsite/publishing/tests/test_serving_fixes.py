"""Security issue 11 (static serving): what both file servers answer for the addresses they got wrong.

- /elder/search/ (the 长辈版 search form) reaches the application, as /search/ does;
- a 撤稿 in 410 mode answers 410 with its notice, in redirect mode a redirect to the replacement;
- the 404 page of any version and the .gz twins are not addresses (404);
- a Host longer than DNS allows is a clean 400, never a 500;
- every response carries Permissions-Policy, the same value from Django, `govsite serve` and nginx.

The embedded server is called as a WSGI application; nginx runs for real over a small fixture tree.
"""

import getpass
import gzip
import io
import shutil
import threading
from collections.abc import Iterable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import Site

from govsite.content import lifecycle as actions
from govsite.content.models import ArticlePage, ColumnPage
from govsite.content.tests.helpers import path_of
from govsite.core.middleware import permissions_policy
from govsite.publishing import layout
from govsite.publishing.nginx import SiteEntry, prepare_dirs, render_config
from govsite.publishing.publisher import Publisher, redirect_stub, write_atomically
from govsite.publishing.server import FileServer, security_headers, write_default_hostname
from govsite.testing import free_port, http_request, running

KJT = "kjt.localhost"
ARTICLE = "/kjdt/tzgg/202103/t20210331_9.html"
GONE = "/kjdt/tzgg/202102/t20210201_7.html"
MOVED = "/kjdt/tzgg/202101/t20210101_5.html"
NOTICE = "<html>该信息已撤回</html>".encode()
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


# --- a published tree, written with the publisher's own functions -----------------------------------
def publish(url_path: str, body: bytes, suffix: str = "") -> Path:
    rel = layout.relative_file(url_path)
    assert rel is not None
    target = layout.site_dir(KJT) / (layout.status_file(rel, suffix) if suffix else rel)
    write_atomically(target, body)
    return target


@pytest.fixture
def tree(settings: Any, tmp_path: Path) -> Path:
    settings.GOVSITE_PUBLIC_DIR = tmp_path / "public"
    settings.STATIC_ROOT = tmp_path / "static"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    publish("/", ("<html>科技厅首页" + "内容" * 200 + "</html>").encode())
    publish(ARTICLE, ("<html>文章" + "正文" * 200 + "</html>").encode())
    publish("/404.html", ("<html>页面不存在" + "。" * 200 + "</html>").encode())
    publish("/elder/404.html", ("<html>长辈版：页面不存在" + "。" * 200 + "</html>").encode())
    publish(GONE, NOTICE, layout.GONE_SUFFIX)
    publish("/elder" + GONE, NOTICE, layout.GONE_SUFFIX)
    publish(MOVED, redirect_stub("/kjdt/tzgg/new.html"), layout.REDIRECT_SUFFIX)
    publish("/kjdt/link/", redirect_stub("https://www.gov.cn/?a=1&b=2", 302), layout.REDIRECT_SUFFIX)
    static = tmp_path / "static" / "govsite" / "css"
    static.mkdir(parents=True)
    (tmp_path / "static" / "staticfiles.json").write_text("{}")
    (static / "site.css").write_text("body{}" * 100)
    (static / "site.css.gz").write_bytes(gzip.compress(b"body{}" * 100))
    write_default_hostname(KJT)
    return tmp_path


class DjangoStub:
    def __init__(self) -> None:
        self.paths: list[str] = []

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        self.paths.append(environ["PATH_INFO"])
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"django"]


class Answer:
    def __init__(self, status: str, headers: list[tuple[str, str]], body: Iterable[bytes]) -> None:
        self.status = int(status.split()[0])
        self.headers = {k.lower(): v for k, v in headers}
        self.body = b"".join(body)


def call(app: FileServer, path: str, host: str = KJT, **headers: str) -> Answer:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path.encode("utf-8").decode("latin-1"),
        "QUERY_STRING": "",
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
    return Answer(captured["status"], captured["headers"], body)


@pytest.fixture
def stub() -> DjangoStub:
    return DjangoStub()


@pytest.fixture
def server(tree: Path, stub: DjangoStub) -> FileServer:
    return FileServer(stub)


# --- the embedded server ------------------------------------------------------------------------
def test_elder_search_reaches_the_application(server: FileServer, stub: DjangoStub) -> None:
    for path in ("/elder/search/", "/elder/search", "/elder/search/api/", "//elder/search/"):
        assert call(server, path).body == b"django", path
    # only the listed prefixes are versioned: /elder/admin/ is not a second door to the admin
    assert call(server, "/elder/admin/").status == 404
    assert stub.paths == ["/elder/search/", "/elder/search", "/elder/search/api/", "//elder/search/"]


def test_withdrawn_address_is_410_with_its_notice(server: FileServer, stub: DjangoStub) -> None:
    for path in (GONE, "/elder" + GONE):
        r = call(server, path, accept_encoding="gzip")
        assert (r.status, r.body) == (410, NOTICE), path
        assert r.headers["content-type"] == "text/html; charset=utf-8"
        assert r.headers["cache-control"] == "no-cache"
        assert r.headers["x-frame-options"] == "DENY"
    # the status file itself is never an address
    assert call(server, "/kjdt/tzgg/202102/.t20210201_7.html.410").status == 404
    assert stub.paths == []


def test_redirected_address_is_a_real_redirect(server: FileServer, stub: DjangoStub) -> None:
    r = call(server, MOVED)
    assert (r.status, r.headers["location"]) == (301, "/kjdt/tzgg/new.html")
    r = call(server, "/kjdt/link/")
    assert (r.status, r.headers["location"]) == (302, "https://www.gov.cn/?a=1&b=2")
    assert r.headers["cache-control"] == "no-cache"
    assert stub.paths == []


def test_404_pages_and_gz_twins_are_not_addresses(server: FileServer, tree: Path) -> None:
    site = layout.site_dir(KJT)
    for path in ("/404.html", "/elder/404.html", "/index.html.gz", ARTICLE + ".gz", "/elder/404.html.gz"):
        # a missing address of the 长辈版 gets the 长辈版's 404 page where one is published
        version_page = site / "elder" / "404.html"
        page = version_page if path.startswith("/elder/") and version_page.is_file() else site / "404.html"
        r = call(server, path)
        assert (r.status, r.body) == (404, page.read_bytes()), path
    assert call(server, "/static/govsite/css/site.css.gz").status == 404
    # the twins are still sent, as a Content-Encoding of their file
    r = call(server, "/static/govsite/css/site.css", accept_encoding="gzip")
    assert (r.status, r.headers["content-encoding"]) == (200, "gzip")
    assert call(server, ARTICLE, accept_encoding="gzip").headers["content-encoding"] == "gzip"


@pytest.mark.parametrize(
    "host",
    [
        "a" * 300 + ".localhost",
        ("a" * 60 + ".") * 5 + "localhost",  # labels within 63, the name over 253
        ("a" * 60 + ".") * 5 + "localhost:8000",
        "",
        ":8000",
        ".",
        "..localhost",
        "kjt..localhost",
        "kjt.localhost:99999999999999999999",
        "kjt.localhost:abc",
        "科技厅.localhost",
        "xn--fiq.localhost.",
        "[::1]:8000",
        "[" + "1" * 300 + "]",
        "kjt.localhost\x00",
        "kjt.localhost/",
        "-kjt.localhost",
    ],
)
def test_odd_hosts_are_answered_never_500(server: FileServer, stub: DjangoStub, host: str) -> None:
    r = call(server, "/", host=host)
    assert r.status in (200, 400), (host, r.status)
    if r.status == 200:  # an acceptable name: the default site's home page, never Django
        assert r.body == (layout.site_dir(KJT) / "index.html").read_bytes()
    assert stub.paths == []


def test_very_long_host_under_the_wildcard_is_400(server: FileServer) -> None:
    r = call(server, "/", host="a" * 300 + ".localhost")
    assert r.status == 400
    assert r.body.decode() == "请求的主机名无效\n"


def test_file_server_sends_permissions_policy(server: FileServer) -> None:
    value = permissions_policy()
    assert "camera=()" in value and "geolocation=()" in value and "microphone=()" in value
    for path in (ARTICLE, "/no/such.html", GONE, MOVED):
        assert call(server, path).headers["permissions-policy"] == value, path


# --- Django and the publisher -------------------------------------------------------------------
@pytest.mark.django_db
def test_django_sends_the_same_headers_as_the_file_servers() -> None:
    for path in ("/", "/search/?q=科技", "/elder/search/?q=科技", "/no/such/page/"):
        response = Client().get(path, HTTP_HOST=KJT)
        assert response["Permissions-Policy"] == permissions_policy(), path
        for name, value in security_headers():
            if name == "Content-Security-Policy":
                continue  # compared directive by directive in test_server.py
            assert response[name] == value, (path, name)
    # the 长辈版 search: the same view, in the elder version
    elder = Client().get("/elder/search/?q=科技", HTTP_HOST=KJT)
    assert elder.status_code == 200
    assert "elder.css" in elder.content.decode()


def _reviewer() -> Any:
    return get_user_model().objects.get(username="kjt-reviewer3")


def _article(slug: str) -> ArticlePage:
    site = Site.objects.get(hostname=KJT)
    column = ColumnPage.objects.descendant_of(site.root_page).get(slug=slug)
    return ArticlePage.objects.live().child_of(column).first()


@pytest.mark.django_db
def test_published_withdrawal_is_410_or_301_from_the_file_server(settings: Any, tmp_path: Path) -> None:
    settings.GOVSITE_PUBLIC_DIR = tmp_path / "public"
    site = Site.objects.get(hostname=KJT)
    page, replacement = _article("tzgg"), _article("gzdt")
    path, new = path_of(page), path_of(replacement)
    paths = [path, "/elder" + path, "/404.html"]
    Publisher(site).publish(paths)
    server = FileServer(DjangoStub())
    assert call(server, path).status == 200

    actions.withdraw(page, _reviewer(), "gone", "该通知已过时，已撤回。")
    Publisher(site).publish(paths)
    for address in (path, "/elder" + path):
        r = call(server, address)
        assert r.status == 410, address
        assert "该通知已过时，已撤回。" in r.body.decode()
        assert r.body == Client().get(address, HTTP_HOST=KJT).content
    assert not published_file(path).exists()

    actions.withdraw(page, _reviewer(), "redirect", "已被新通知替代。", replacement)
    Publisher(site).publish(paths)
    assert (call(server, path).status, call(server, path).headers["location"]) == (301, new)
    elder = call(server, "/elder" + path)
    assert (elder.status, elder.headers["location"]) == (301, "/elder" + new)

    actions.restore(page, _reviewer())
    Publisher(site).publish(paths)
    assert call(server, path).status == 200
    folder = published_file(path).parent
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []


# --- nginx --------------------------------------------------------------------------------------
class Upstream(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = f"upstream {self.path}".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def nginx(tree: Path) -> Iterator[int]:
    if not Path(NGINX).exists():
        pytest.fail("nginx is not installed: run `make system-deps` (scripts/system-deps.sh) as root.")
    app = ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    port = free_port()
    prepare_dirs()
    conf = tree / "var" / "nginx" / "nginx.conf"
    config = render_config(
        [SiteEntry(KJT, True)],
        str(port),
        f"http://127.0.0.1:{app.server_address[1]}",
        False,
        getpass.getuser(),
    )
    conf.write_text(config)
    try:
        with running(
            [NGINX, "-c", str(conf), "-e", "stderr", "-g", "daemon off;"], {}, port, conf.with_suffix(".log")
        ):
            yield port
    finally:
        app.shutdown()
        app.server_close()


def published_file(url_path: str) -> Path:
    relative = layout.relative_file(url_path)
    assert relative is not None, url_path
    return layout.site_dir(KJT) / relative


def get(port: int, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    return http_request(port, path, KJT, "GET", None, timeout=10, **headers)


def test_nginx_serves_the_same_answers(nginx: int, tree: Path) -> None:
    port = nginx
    # the 长辈版 search goes to the application
    for path in ("/elder/search/?q=1", "/elder/search", "/elder/search/api/?q=1"):
        status, _, body = get(port, path)
        assert (status, body) == (200, f"upstream {path}".encode()), path
    assert get(port, "/elder/admin/")[0] == 404
    # 撤稿, 410 mode: 410 and the notice, with the security headers; no reload needed for a new one
    for path in (GONE, "/elder" + GONE):
        status, headers, body = get(port, path)
        assert (status, body) == (410, NOTICE), path
        assert headers["content-type"] == "text/html; charset=utf-8"
        assert headers["permissions-policy"] == permissions_policy()
        assert headers["x-frame-options"] == "DENY"
    later = "/kjdt/tzgg/202104/t20210401_11.html"
    assert get(port, later)[0] == 404
    publish(later, NOTICE, layout.GONE_SUFFIX)
    assert get(port, later)[:3:2] == (410, NOTICE)
    assert get(port, "/kjdt/tzgg/202102/.t20210201_7.html.410")[0] == 404
    # a redirected address: the application answers it (with the redirect)
    assert get(port, MOVED)[::2] == (200, f"upstream {MOVED}".encode())
    assert get(port, "/kjdt/link/")[::2] == (200, b"upstream /kjdt/link/")
    # a folder without its slash still redirects to it
    for folder in ("/kjdt/tzgg", "/kjdt/link"):
        status, headers, _ = get(port, folder)
        assert (status, headers["location"]) == (301, folder + "/")
    # the 404 page of every version and the .gz twins are not addresses
    not_found = (layout.site_dir(KJT) / "404.html").read_bytes()
    for path in ("/404.html", "/elder/404.html", "/index.html.gz", ARTICLE + ".gz"):
        status, _, body = get(port, path)
        assert (status, body) == (404, not_found), path
    assert get(port, "/static/govsite/css/site.css.gz")[0] == 404
    status, headers, _ = get(port, "/static/govsite/css/site.css", Accept_Encoding="gzip")
    assert (status, headers["content-encoding"]) == (200, "gzip")
    # the same header set as the embedded server
    status, headers, _ = get(port, ARTICLE)
    assert status == 200
    for name, value in security_headers():
        assert headers[name.lower()] == value, name
