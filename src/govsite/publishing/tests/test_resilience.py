"""Published pages stay up when the database is down.

A real platform in its own GOVSITE_VAR_DIR (migrate, demo, `govsite publish`), then the SQLite
database is taken away and `govsite serve` (granian, as `make run` starts it) is started: every
published file must still be served, byte for byte.
"""

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from govsite.testing import CLI, PublishedDemo, free_port, running
from govsite.testing import http_request as get


@contextmanager
def embedded_server(demo: PublishedDemo) -> Iterator[int]:
    """`govsite serve` (granian, 2 workers) on a free port, stopped with its workers afterwards."""
    port = free_port()
    cmd = [*CLI, "serve", "--port", str(port), "--workers", "2"]
    with running(cmd, demo.env, port, demo.var_dir / f"serve-{port}.log"):
        yield port


@contextmanager
def database_gone(demo: PublishedDemo) -> Iterator[None]:
    """Move the SQLite files away and put a directory in their place, so nothing can open it."""
    moved = []
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{demo.database}{suffix}")
        if path.exists():
            away = path.with_name(path.name + ".away")
            path.rename(away)
            moved.append((away, path))
    demo.database.mkdir()
    try:
        yield
    finally:
        shutil.rmtree(demo.database)
        for away, path in moved:
            away.rename(path)


def published_addresses(site: Path) -> list[tuple[str, Path]]:
    """Every published file of a site with the address it answers (index.html ↔ directory)."""
    addresses = []
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.suffix == ".gz" or path.name.startswith("."):
            continue
        rel = path.relative_to(site).as_posix()
        if path.name == "404.html":  # the 404 page of each version is not an address (it answers 404)
            continue
        url = "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        addresses.append((url, path))
    return addresses


def test_every_published_page_is_served_with_the_database_gone(published_demo: PublishedDemo) -> None:
    demo = published_demo
    with database_gone(demo), embedded_server(demo) as port:
        # the database really is gone: a dynamic address fails, gracefully, with the Chinese page
        status, headers, body = get(port, "/search/?q=%E7%A7%91%E6%8A%80", "kjt.localhost")
        assert status == 500
        assert "服务暂时不可用" in body.decode()
        assert headers["x-frame-options"] == "DENY"

        served = 0
        for host in demo.hosts():
            site = demo.public / host
            addresses = published_addresses(site)
            assert len(addresses) > 10, f"{host}: too few published files to be a real site"
            for url, path in addresses:
                status, headers, body = get(port, url, host)
                assert status == 200, f"{host}{url}: {status}"
                assert body == path.read_bytes(), f"{host}{url}: not the published bytes"
                served += 1
            # the site's own 404 page, also without the database
            status, _, body = get(port, "/no/such/page/t20990101_1.html", host)
            assert status == 404
            assert body == (site / "404.html").read_bytes()
            # and the .gz sibling for a client that accepts it
            status, headers, body = get(port, "/", host, Accept_Encoding="gzip")
            assert (status, headers.get("content-encoding")) == (200, "gzip")
            assert body == (site / "index.html.gz").read_bytes()
        # the default site answers for an address that names no site (127.0.0.1)
        default = (demo.public / ".default-site").read_text().strip()
        status, _, body = get(port, "/", f"127.0.0.1:{port}")
        assert (status, body) == (200, (demo.public / default / "index.html").read_bytes())
        assert served > 50


def test_odd_requests_over_http_are_400_or_404(published_demo: PublishedDemo) -> None:
    """granian decodes the path before the application sees it: the checks hold end to end."""
    demo = published_demo
    with embedded_server(demo) as port:
        for path in (
            "/%00",
            "/kjdt/%00/index.html",
            "/..%2f..%2f..%2fetc%2fpasswd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/static/..%2f..%2fdb.sqlite3",
            "/media/..%2fdb.sqlite3",
            "/%ff%fe",
            "/.default-site",
            "/" + "a" * 6000,
            "/%E9%95%BF" * 300,
        ):
            status, _, body = get(port, path, "kjt.localhost")
            assert status in (400, 404), f"{path[:60]}: {status}"
            assert b"root:" not in body and b"SQLite" not in body
        for host in ("evil.example.com", "..", "kjt.localhost:80:80"):
            status, _, _ = get(port, "/", host)
            assert status == 400, host
