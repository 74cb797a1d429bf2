"""`govsite nginx-config --web-node`: a DMZ web node of several (docs/deployment.md), run by a real nginx.

The node has no database (it is taken away before the config is written): its sites come from the
published tree, pages are served from files, the public dynamic addresses go to an upstream of
application nodes (one of them down) and the admin is never reached from it.
nginx is a system package (scripts/system-deps.sh installs it): missing, these tests fail.
"""

import getpass
import subprocess
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from govsite.testing import PublishedDemo, free_port, local_http_server, run_cli, running
from govsite.testing import http_request as request

from .test_nginx import NGINX, check_files
from .test_resilience import database_gone


class AppNode(BaseHTTPRequestHandler):
    """An application node: records each request it receives and says which node it is."""

    seen: list[str]
    server: ThreadingHTTPServer

    def answer(self) -> None:
        self.seen.append(f"{self.command} {self.path}")
        text = f"node {self.server.server_address[1]} {self.command} {self.path}".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text)

    do_GET = do_POST = answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def app_node() -> Iterator[tuple[int, list[str]]]:
    seen: list[str] = []
    with local_http_server(type("RecordingAppNode", (AppNode,), {"seen": seen})) as port:
        yield port, seen


def test_web_node_serves_files_and_proxies_only_public_dynamic_addresses(
    published_demo: PublishedDemo, app_node: tuple[int, list[str]]
) -> None:
    if not Path(NGINX).exists():
        pytest.fail("nginx is not installed: run `make system-deps` (scripts/system-deps.sh) as root.")
    demo, (live, seen) = published_demo, app_node
    down = free_port()  # an application node that is down: nginx must use the other
    port = free_port()
    conf = demo.var_dir / "nginx" / f"web-node-{port}.conf"
    apps = f"http://127.0.0.1:{down},http://127.0.0.1:{live}"
    args = ["nginx-config", "--web-node", "--app", apps, "--listen", str(port), "--no-ipv6"]
    with database_gone(demo):  # a web node in the DMZ reaches no database
        run_cli(demo.env, *args, "--user", getpass.getuser(), "--output", str(conf))
    config = conf.read_text()
    assert f"server 127.0.0.1:{down} max_fails=3 fail_timeout=10s;" in config
    assert f"server 127.0.0.1:{live} max_fails=3 fail_timeout=10s;" in config
    checked = subprocess.run([NGINX, "-t", "-q", "-c", str(conf), "-e", "stderr"], capture_output=True)
    assert checked.returncode == 0, checked.stderr

    nginx = [NGINX, "-c", str(conf), "-e", "stderr", "-g", "daemon off;"]
    with running(nginx, demo.env, port, demo.var_dir / "nginx" / f"web-node-{port}.log", timeout=15):
        check_files(demo, port)
        for _ in range(3):  # whichever node nginx tries first, the live one answers
            status, _, body = request(port, "/search/?q=1", "kjt.localhost")
            assert (status, body.decode()) == (200, f"node {live} GET /search/?q=1")
        status, _, body = request(port, "/liuyan/", "jyt.localhost", method="POST", body=b"a=1")
        assert (status, body.decode()) == (200, f"node {live} POST /liuyan/")
        # the admin: never proxied, whatever the method or spelling
        for method, path in (("GET", "/admin/"), ("GET", "/admin"), ("POST", "/admin/login/")):
            assert request(port, path, "kjt.localhost", method=method, body=b"")[0] == 404
        assert request(port, "/django-admin/", "jyt.localhost")[0] == 404
        assert not [line for line in seen if "admin" in line]
        # liveness answered by nginx itself (for the balancer in front of the web nodes); the
        # application's readiness stays on the internal network
        status, headers, body = request(port, "/healthz", "10.0.0.9")
        assert (status, body, headers["cache-control"]) == (200, b"ok\n", "no-store")
        assert request(port, "/readyz", "kjt.localhost")[0] == 404
        assert [line for line in seen if "healthz" in line or "readyz" in line] == []
