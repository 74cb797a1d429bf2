"""The external link check must not become a way to probe the intranet (SSRF).

No test sends traffic anywhere but 127.0.0.1: name resolution is replaced by a fake that knows a
few names and refuses every other one, and the "public" address used for the rebinding case is
never connected to (the connection is intercepted).
"""

import ipaddress
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from govsite.checks import rules as checks
from govsite.checks.rules import http_head_checker

PUBLIC_NAME = "www.example.gov.cn"
OTHER_NAME = "intranet.example.gov.cn"
PUBLIC_ADDRESS = "93.184.216.34"  # globally routable; never contacted by these tests


class LocalServer:
    """An HTTP server on 127.0.0.1 that records the paths it was asked for."""

    def __init__(self, routes: dict[str, tuple[int, dict[str, str]]] | None = None) -> None:
        self.requests: list[str] = []
        table = routes or {}
        server_self = self

        class Handler(BaseHTTPRequestHandler):
            def do_HEAD(self) -> None:
                server_self.requests.append(self.path)
                status, headers = table.get(self.path.split("?")[0], (200, {}))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value.replace("{port}", str(server_self.port)))
                self.end_headers()

            do_GET = do_HEAD

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "LocalServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, list[str]]]:
    """Resolve only the names a test registers; any other name fails like an unknown host."""
    names: dict[str, list[str]] = {}
    lookups: list[str] = []

    def getaddrinfo(host: str, port: Any, family: int = 0, type: int = 0, *args: Any, **kwargs: Any) -> list:
        lookups.append(host)
        try:
            ipaddress.ip_address(host)
            addresses = [host]
        except ValueError:
            if host not in names:
                raise socket.gaierror(socket.EAI_NONAME, "unknown name in test") from None
            addresses = names[host]
        result = []
        for address in addresses:
            af = socket.AF_INET6 if ":" in address else socket.AF_INET
            sockaddr = (address, int(port or 0), 0, 0) if af == socket.AF_INET6 else (address, int(port or 0))
            result.append((af, socket.SOCK_STREAM, 6, "", sockaddr))
        return result

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    names["__lookups__"] = lookups
    yield names


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
        "224.0.0.1", "240.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "ff02::1",
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a00:1", "2002:7f00:1::1",
    ],
)  # fmt: skip
def test_internal_addresses_are_not_public(address: str):
    assert not checks.is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700::1111", "::ffff:93.184.216.34"])
def test_public_addresses_are_public(address: str):
    assert checks.is_public_address(ipaddress.ip_address(address))


def test_loopback_is_refused_and_never_contacted(fake_dns):
    with LocalServer() as server:
        assert http_head_checker(f"http://127.0.0.1:{server.port}/") is None
        assert http_head_checker(f"http://[::ffff:127.0.0.1]:{server.port}/") is None
        fake_dns["localhost"] = ["127.0.0.1"]
        assert http_head_checker(f"http://localhost:{server.port}/") is None
    assert server.requests == []


def test_public_name_resolving_to_a_private_address_is_refused(fake_dns):
    with LocalServer() as server:
        fake_dns[PUBLIC_NAME] = ["127.0.0.1"]
        assert http_head_checker(f"http://{PUBLIC_NAME}:{server.port}/") is None
        # One internal address among the name's addresses is enough to refuse it.
        fake_dns[PUBLIC_NAME] = ["127.0.0.1", PUBLIC_ADDRESS]
        assert http_head_checker(f"http://{PUBLIC_NAME}:{server.port}/") is None
    assert server.requests == []


def test_the_vetted_address_is_the_one_connected_to(fake_dns, monkeypatch):
    """DNS rebinding: a name answering a public address, then an internal one, is only ever
    connected to at the address that was checked."""
    answers = [[PUBLIC_ADDRESS], ["127.0.0.1"]]

    def rebinding(host: str, *args: Any, **kwargs: Any) -> list:
        if host == PUBLIC_NAME:
            fake_dns[PUBLIC_NAME] = answers.pop(0) if answers else ["127.0.0.1"]
        return original(host, *args, **kwargs)

    original = socket.getaddrinfo
    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    connected: list[tuple[str, int]] = []

    def create_connection(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        connected.append(address)
        raise ConnectionRefusedError("intercepted in test")

    monkeypatch.setattr(socket, "create_connection", create_connection)
    assert http_head_checker(f"http://{PUBLIC_NAME}/page") is False
    assert connected == [(PUBLIC_ADDRESS, 80)]


@pytest.fixture
def loopback_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Treat 127.0.0.1 as public so that the redirect rules can be tried against a local server."""
    real = checks.is_public_address
    monkeypatch.setattr(
        checks, "is_public_address", lambda address: str(address) == "127.0.0.1" or real(address)
    )


def test_redirect_to_another_host_is_not_followed(fake_dns, loopback_allowed):
    fake_dns[PUBLIC_NAME] = ["127.0.0.1"]
    fake_dns[OTHER_NAME] = ["127.0.0.1"]
    routes = {"/go": (302, {"Location": f"http://{OTHER_NAME}:{{port}}/secret"})}
    with LocalServer(routes) as server:
        assert http_head_checker(f"http://{PUBLIC_NAME}:{server.port}/go") is None
    assert server.requests == ["/go"]


def test_redirect_on_the_same_host_is_followed_and_vetted_again(fake_dns, loopback_allowed, monkeypatch):
    fake_dns[PUBLIC_NAME] = ["127.0.0.1"]
    routes = {"/old": (301, {"Location": "/new"}), "/gone": (302, {"Location": "/missing"})}
    routes["/missing"] = (404, {})
    with LocalServer(routes) as server:
        assert http_head_checker(f"http://{PUBLIC_NAME}:{server.port}/old") is True
        assert http_head_checker(f"http://{PUBLIC_NAME}:{server.port}/gone") is False
        lookups = fake_dns["__lookups__"]
        assert lookups.count(PUBLIC_NAME) == 4  # every hop resolved and vetted anew
        # A same-host redirect after the name has turned internal is refused.
        routes["/turn"] = (302, {"Location": "/after"})
        answers = iter([["127.0.0.1"], ["10.0.0.7"]])
        original = socket.getaddrinfo

        def turning(host: str, *args: Any, **kwargs: Any) -> list:
            if host == PUBLIC_NAME:
                fake_dns[PUBLIC_NAME] = next(answers)
            return original(host, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", turning)
        assert http_head_checker(f"http://{PUBLIC_NAME}:{server.port}/turn") is None
    assert server.requests == ["/old", "/new", "/gone", "/missing", "/turn"]


def test_redirect_loops_are_bounded(fake_dns, loopback_allowed):
    fake_dns[PUBLIC_NAME] = ["127.0.0.1"]
    with LocalServer({"/loop": (302, {"Location": "/loop"})}) as server:
        assert http_head_checker(f"http://{PUBLIC_NAME}:{server.port}/loop") is None
    assert len(server.requests) == checks.LINK_CHECK_MAX_REDIRECTS + 1


def test_a_slow_server_is_bounded_in_time(fake_dns, loopback_allowed):
    fake_dns[PUBLIC_NAME] = ["127.0.0.1"]
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        assert http_head_checker(f"http://{PUBLIC_NAME}:{port}/", timeout=0.5) is False
