"""`govsite nginx-config` run by a real nginx (`nginx -c FILE`, nothing else) over the published demo.

nginx is a system package (scripts/system-deps.sh installs it): missing, these tests fail.
"""

import getpass
import gzip
import shutil
import socket
import subprocess
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from govsite.publishing.nginx import SiteEntry, dynamic_locations, render_config
from govsite.testing import PublishedDemo, free_port, local_http_server, run_cli, running
from govsite.testing import http_request as request

from .test_resilience import published_addresses

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as sock:
            sock.bind(("::1", 0))
        return True
    except OSError:
        return False


class Upstream(BaseHTTPRequestHandler):
    """Stands in for the application: says what it received."""

    def answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        text = (
            f"upstream {self.command} {self.path} host={self.headers['Host']} "
            f"xff={self.headers.get('X-Forwarded-For')} proto={self.headers.get('X-Forwarded-Proto')} "
            f"body={body.decode()}"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text)

    do_GET = do_POST = answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def upstream() -> Iterator[int]:
    with local_http_server(Upstream) as port:
        yield port


def test_nginx_is_installed() -> None:
    if not Path(NGINX).exists():
        pytest.fail("nginx is not installed: run `make system-deps` (scripts/system-deps.sh) as root.")


def test_generated_config_shape(settings: object, tmp_path: Path) -> None:
    config = render_config(
        [SiteEntry("kjt.localhost", True), SiteEntry("jyt.localhost", False)], "8080", "http://127.0.0.1:9000"
    )
    # nothing outside this file but the redirect maps the publisher writes into published sites
    assert all(".redirects-" in line for line in config.splitlines() if "include" in line)
    assert config.count("server_name ") == 2
    assert config.count("default_server") == 2  # the default site, on IPv4 and IPv6
    assert "listen [::]:8080 default_server;" in config
    assert "server 127.0.0.1:9000;" in config
    # the search page of the elder version goes to the application as /search/ does
    assert "location ^~ /elder/search/ { proxy_pass http://govsite_app; }" in dynamic_locations()
    with pytest.raises(ValueError):
        render_config([SiteEntry("kjt.localhost", True)], "8080", "ftp://example")


def test_nginx_serves_the_published_sites(
    published_demo: PublishedDemo, upstream: int, tmp_path: Path
) -> None:
    if not Path(NGINX).exists():
        pytest.fail("nginx is not installed: run `make system-deps` (scripts/system-deps.sh) as root.")
    demo = published_demo
    port = free_port()
    ipv6 = ipv6_loopback()
    conf = demo.var_dir / "nginx" / f"nginx-{port}.conf"
    args = ["nginx-config", "--listen", str(port), "--upstream", f"http://127.0.0.1:{upstream}"]
    args += ["--user", getpass.getuser(), "--output", str(conf)]
    run_cli(demo.env, *args, *([] if ipv6 else ["--no-ipv6"]))
    assert (
        subprocess.run([NGINX, "-t", "-q", "-c", str(conf), "-e", "stderr"], capture_output=True).returncode
        == 0
    )

    nginx = [NGINX, "-c", str(conf), "-e", "stderr", "-g", "daemon off;"]
    with running(nginx, demo.env, port, demo.var_dir / "nginx" / f"nginx-{port}.log", timeout=15):
        check_files(demo, port)
        check_dynamic(port)
        if ipv6:
            status, _, body = request(port, "/", "kjt.localhost", addr="::1")
            assert (status, body) == (200, (demo.public / "kjt.localhost" / "index.html").read_bytes())


def check_files(demo: PublishedDemo, port: int) -> None:
    for host in ("kjt.localhost", "jyt.localhost"):
        site = demo.public / host
        # an article, byte for byte, with the headers the embedded server sends
        article = next(
            path for url, path in published_addresses(site) if "/t20" in url and url.endswith(".html")
        )
        url = "/" + article.relative_to(site).as_posix()
        status, headers, body = request(port, url, host)
        assert status == 200
        assert body == article.read_bytes()
        assert headers["content-type"] == "text/html; charset=utf-8"
        assert headers["cache-control"] == "public, max-age=60"
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        st = article.stat()
        assert headers["etag"] == f'"{int(st.st_mtime):x}-{st.st_size:x}"'
        # gzip_static: the precompressed sibling
        status, headers, body = request(port, url, host, Accept_Encoding="gzip")
        assert (status, headers.get("content-encoding")) == (200, "gzip")
        assert gzip.decompress(body) == article.read_bytes()
        # each host its own directory
        status, _, body = request(port, "/", f"{host}:{port}")
        assert (status, body) == (200, (site / "index.html").read_bytes())
        # a missing address: the site's 404 page with status 404
        status, headers, body = request(port, "/no/such/page.html", host)
        assert status == 404
        assert body == (site / "404.html").read_bytes()
        assert headers["x-frame-options"] == "DENY"
        # a directory address without its slash redirects, relative
        column = next(p.parent for p in site.glob("*/index.html"))
        status, headers, _ = request(port, "/" + column.name, host)
        assert (status, headers["location"]) == (301, f"/{column.name}/")
        # dot files (the publisher's temp files and markers) are never served
        assert request(port, "/.default-site", host)[0] == 404
    # an unknown host gets the default site (default_server)
    default = (demo.public / ".default-site").read_text().strip()
    status, _, body = request(port, "/", "127.0.0.1")
    assert (status, body) == (200, (demo.public / default / "index.html").read_bytes())
    # static files from STATIC_ROOT (collectstatic ran)
    status, headers, _ = request(port, "/static/govsite/css/site.css", "kjt.localhost")
    assert status == 200
    assert headers["content-type"].startswith("text/css")


def check_dynamic(port: int) -> None:
    status, _, body = request(port, "/search/?q=1", "kjt.localhost", X_Forwarded_For="10.9.9.9")
    assert status == 200
    text = body.decode()
    assert text.startswith("upstream GET /search/?q=1 host=kjt.localhost")
    assert "xff=10.9.9.9, 127.0.0.1" in text and "proto=http" in text
    status, _, body = request(port, "/admin", "jyt.localhost")
    assert body.decode().startswith("upstream GET /admin host=jyt.localhost")
    # form submissions to a page address go to the application too
    status, _, body = request(port, "/", "kjt.localhost", method="POST", body=b"a=1")
    assert status == 200
    assert body.decode().startswith("upstream POST / host=kjt.localhost") and body.decode().endswith(
        "body=a=1"
    )
