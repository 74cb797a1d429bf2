"""The generated nginx.conf, run by the real nginx: Wagtail redirects from each site's map
(publishing/redirects.py) and the admin kept off public hosts (内外网分离)."""

import getpass
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from govsite.publishing.layout import GONE_SUFFIX, site_dir, status_file
from govsite.publishing.nginx import SiteEntry, prepare_dirs, render_config
from govsite.publishing.redirects import write_map_files
from govsite.testing import free_port, running
from govsite.testing import http_request as request

from .test_nginx import NGINX, upstream  # noqa: F401 - the fixture
from .test_server import JYT, KJT, publish

ADMIN_HOST = "admin.localhost"


@pytest.fixture
def public(settings: Any, tmp_path: Path) -> Path:
    """A published S&T site with a redirect map; the education site not published yet."""
    settings.GOVSITE_PUBLIC_DIR = tmp_path / "public"
    settings.VAR_DIR = tmp_path / "var"
    publish(KJT, "/", b"<html>home</html>")
    publish(KJT, "/404.html", "<html>科技厅：页面不存在</html>".encode())
    publish(KJT, "/kept.html", b"<html>kept</html>")
    (site_dir(KJT) / status_file("gone.html", GONE_SUFFIX)).write_bytes(b"<html>withdrawn</html>")
    write_map_files(
        site_dir(KJT),
        {
            "/old/news.asp?id=3&type=a": (301, "/kjdt/t3.html"),
            "/old/news.asp": (302, "/kjdt/"),
            "/旧栏目/页面": (301, "/%E6%96%B0/"),
            "/kept.html": (301, "/never/"),
            "/gone.html": (301, "/never/"),
            "/away": (301, "https://www.gov.cn/a?b=1"),
        },
    )
    return settings.GOVSITE_PUBLIC_DIR


@contextmanager
def nginx(upstream_port: int) -> Iterator[int]:
    if not Path(NGINX).exists():
        pytest.fail("nginx is not installed: run `make system-deps` (scripts/system-deps.sh) as root.")
    port = free_port()
    sites = [SiteEntry(KJT, True), SiteEntry(JYT, False)]
    config = render_config(sites, str(port), f"http://127.0.0.1:{upstream_port}", False, getpass.getuser())
    prepare_dirs()
    conf = site_dir(KJT).parent.parent / "nginx.conf"
    conf.write_text(config)
    checked = subprocess.run([NGINX, "-t", "-q", "-c", str(conf), "-e", "stderr"], capture_output=True)
    assert checked.returncode == 0, checked.stderr.decode()
    cmd = [NGINX, "-c", str(conf), "-e", "stderr", "-g", "daemon off;"]
    with running(cmd, dict(os.environ), port, conf.with_suffix(".log"), timeout=15):
        yield port


def test_nginx_answers_the_redirect_map(public: Path, upstream: int) -> None:  # noqa: F811
    with nginx(upstream) as port:
        cases = {
            "/old/news.asp?id=3&type=a": (301, "/kjdt/t3.html"),
            "/old/news.asp?type=a&id=3": (301, "/kjdt/t3.html"),  # parameters in any order
            "/old/news.asp?id=4": (302, "/kjdt/"),  # no such query: the path alone
            "/old/news.asp/": (302, "/kjdt/"),
            "/%E6%97%A7%E6%A0%8F%E7%9B%AE/%E9%A1%B5%E9%9D%A2": (301, "/%E6%96%B0/"),
            "/away": (301, "https://www.gov.cn/a?b=1"),
        }
        for url, (status, location) in cases.items():
            got, headers, _ = request(port, url, KJT)
            assert (got, headers.get("location")) == (status, location), url
        # an address that answers keeps answering; a miss is the 404 page; the map is never served
        assert request(port, "/kept.html", KJT)[0] == 200
        assert request(port, "/gone.html", KJT)[0] == 410
        status, _, body = request(port, "/nothing.html", KJT)
        assert (status, body) == (404, "<html>科技厅：页面不存在</html>".encode())
        for name in (".redirects.json", ".redirects-path.nginx", ".redirects-query.nginx"):
            assert request(port, f"/{name}", KJT)[0] == 404


def test_nginx_keeps_the_admin_off_public_hosts(public: Path, upstream: int, settings: Any) -> None:  # noqa: F811
    settings.GOVSITE_ADMIN_HOSTS = [ADMIN_HOST]
    with nginx(upstream) as port:
        for host in (KJT, JYT):  # published or not
            for path in ("/admin/", "/admin", "/admin/login/", "/django-admin/", "/django-admin"):
                status, _, body = request(port, path, host)
                assert status == 404 and not body.startswith(b"upstream"), (host, path)
        status, _, body = request(port, "/admin/", KJT)
        assert body == "<html>科技厅：页面不存在</html>".encode()
        assert request(port, "/search/?q=1", KJT)[2].startswith(b"upstream GET /search/")
        status, _, body = request(port, "/admin/login/", ADMIN_HOST)
        assert body.startswith(b"upstream GET /admin/login/ host=admin.localhost")

    settings.GOVSITE_ADMIN_HOSTS = []
    settings.GOVSITE_ADMIN_NETWORKS = ["10.0.0.0/8"]  # the test's client (127.0.0.1) is outside
    with nginx(upstream) as port:
        status, _, body = request(port, "/admin/", KJT)
        assert (status, body) == (404, "<html>科技厅：页面不存在</html>".encode())
    settings.GOVSITE_ADMIN_NETWORKS = ["127.0.0.0/8"]
    with nginx(upstream) as port:
        assert request(port, "/admin/", KJT)[2].startswith(b"upstream GET /admin/")
