"""Published pages stay up when the database is down.

A real platform in its own GOVSITE_VAR_DIR (migrate, demo, `govsite publish`), then the SQLite
database is taken away and `govsite serve` (granian, as `make run` starts it) is started: every
published file must still be served, byte for byte.
"""

import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "govsite"]


@dataclass
class PublishedDemo:
    var_dir: Path
    env: dict[str, str]

    @property
    def public(self) -> Path:
        return self.var_dir / "public"

    @property
    def database(self) -> Path:
        return self.var_dir / "db.sqlite3"

    def hosts(self) -> list[str]:
        return sorted(p.name for p in self.public.iterdir() if p.is_dir() and not p.name.startswith("."))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float, why: Callable[[], str]) -> None:
    """Wait until a server process accepts connections on 127.0.0.1:port; fail with its log if not."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(why())
            time.sleep(0.05)


def run_cli(demo_env: dict[str, str], *args: str) -> str:
    done = subprocess.run([*CLI, *args], env=demo_env, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        pytest.fail(f"govsite {' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}")
    return done.stdout


_published: list[PublishedDemo] = []


@pytest.fixture(scope="session")
def published_demo(tmp_path_factory: pytest.TempPathFactory) -> PublishedDemo:
    """The demo platform published to files, on SQLite in a var dir of its own.

    Built once per session even though test_nginx imports this fixture too (hence the cache).
    """
    if _published:
        return _published[0]
    var_dir = tmp_path_factory.mktemp("serving-var")
    env = {**os.environ, "GOVSITE_VAR_DIR": str(var_dir), "PYTHONUNBUFFERED": "1"}
    env.pop("DATABASE_URL", None)
    env.pop("GOVSITE_PUBLIC_DIR", None)
    run_cli(env, "migrate", "--noinput", "-v0")
    run_cli(env, "collectstatic", "--noinput", "-v0")
    run_cli(env, "demo", "-v0")
    run_cli(env, "publish", "--no-progress")
    demo = PublishedDemo(var_dir, env)
    assert {"kjt.localhost", "jyt.localhost"} <= set(demo.hosts())
    _published.append(demo)
    return demo


def get(port: int, path: str, host: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", host)
        for name, value in headers.items():
            conn.putheader(name.replace("_", "-"), value)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


@contextmanager
def embedded_server(demo: PublishedDemo) -> Iterator[int]:
    """`govsite serve` (granian, 2 workers) on a free port, stopped afterwards."""
    port = free_port()
    log_path = demo.var_dir / f"serve-{port}.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [*CLI, "serve", "--port", str(port), "--workers", "2"],
            env=demo.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for_port(port, proc, 60, lambda: "govsite serve did not start:\n" + log_path.read_text()[-5000:])
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


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
        if rel == "404.html":
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
