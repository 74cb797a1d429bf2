"""One HTTP request with its redirects, bounded in time as a whole: the probe and the outbound link
check both ask it, each with its own idea of which addresses may be contacted.

- The availability probe (`vet=False`) reaches the platform's own sites, configured by the platform
  administrator: they may well sit on an intranet address, so no public-address vetting applies, but
  redirects are followed only within the site (`same_host`).
- The outbound check (`vet=True`) reaches addresses editors typed into pages: every hop is resolved and
  vetted by `checks.rules.vetted_address` (public addresses only, the connection pinned to the vetted
  address), so a link can never make the server reach the intranet.

The whole exchange (every hop, the body when it is read) shares one deadline: a server that answers
byte by byte is as much "not open after 15 s" as one that never answers.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from govsite.checks.rules import pinned_connection, vetted_address

USER_AGENT = "govsite-monitor/1.0"  # header values are latin-1: ASCII only
MAX_REDIRECTS = 5
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
CHUNK = 64 * 1024
MAX_BODY = 8 * 1024 * 1024  # a home page larger than this has loaded enough to count as open

# Error codes (stored with probes and link results; the Chinese labels are in ERROR_LABELS).
TIMEOUT = "timeout"
DNS = "dns"
CONNECT = "connect"
TLS = "tls"
PROTOCOL = "protocol"
NOT_PUBLIC = "not_public"
OFF_SITE = "off_site"
TOO_MANY_REDIRECTS = "redirects"
INVALID = "invalid"
ERROR_LABELS = {
    TIMEOUT: "超时",
    DNS: "域名无法解析",
    CONNECT: "无法连接",
    TLS: "HTTPS 证书或加密连接错误",
    PROTOCOL: "响应不符合 HTTP 协议",
    NOT_PUBLIC: "指向内网或保留地址，公众无法访问",
    OFF_SITE: "跳转到了其他网站",
    TOO_MANY_REDIRECTS: "跳转次数过多",
    INVALID: "地址无效",
}


@dataclass
class FetchResult:
    url: str
    final_url: str
    status: int | None = None  # the last HTTP status received
    error: str = ""  # one of the codes above, "" when an HTTP answer arrived
    detail: str = ""  # what the error was, for the evidence
    elapsed_ms: int = 0
    hops: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """A 2xx answer received in time."""
        return not self.error and self.status is not None and 200 <= self.status < 300


FollowRule = Callable[[str, str], bool]  # (first URL, next URL) → may the redirect be followed?


def same_host(first: str, following: str) -> bool:
    """The probe follows redirects within the site only (http→https and paths on the same name)."""
    return (urlsplit(first).hostname or "") == (urlsplit(following).hostname or "")


def any_host(first: str, following: str) -> bool:
    return True


def _classify(exc: BaseException) -> str:
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return TIMEOUT
    if isinstance(exc, socket.gaierror):
        return DNS
    if isinstance(exc, (ssl.SSLError, ssl.CertificateError)):
        return TLS
    if isinstance(exc, http.client.HTTPException):
        return PROTOCOL
    return CONNECT


def _resolves(host: str, port: int) -> bool:
    try:
        socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return False
    return True


def _connection(scheme: str, host: str, port: int, timeout: float, vet: bool) -> http.client.HTTPConnection:
    """A connection to the host; when vetting, pinned to its vetted public address (or an error code)."""
    if vet:
        address = vetted_address(host, port)
        if address is None:
            raise _Refused(NOT_PUBLIC if _resolves(host, port) else DNS)
        return pinned_connection(scheme, host, port, address, timeout)
    if scheme == "https":
        return http.client.HTTPSConnection(host, port, timeout=timeout, context=ssl.create_default_context())
    return http.client.HTTPConnection(host, port, timeout=timeout)


class _Refused(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _drain(response: http.client.HTTPResponse, sock: socket.socket | None, deadline: float) -> None:
    """Read the body to its end (or MAX_BODY) within the deadline."""
    read = 0
    while read < MAX_BODY:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("body not received in time")
        if sock is not None:
            sock.settimeout(remaining)
        chunk = response.read1(CHUNK)  # whatever has arrived: a dripping body meets the deadline
        if not chunk:
            return
        read += len(chunk)


def fetch(
    url: str,
    *,
    timeout: float,
    vet: bool,
    follow: FollowRule = same_host,
    read_body: bool = False,
    max_redirects: int = MAX_REDIRECTS,
) -> FetchResult:
    """GET `url`, following redirects that `follow` allows, all within `timeout` seconds."""
    started = time.monotonic()
    deadline = started + timeout
    result = FetchResult(url=url, final_url=url)
    current = url
    try:
        for _hop in range(max_redirects + 1):
            result.hops.append(current)
            result.final_url = current
            status, location = _request(current, deadline, vet, read_body, result)
            if status in REDIRECT_STATUSES and location:
                following = urljoin(current, location)
                if not follow(url, following):
                    result.error, result.detail = OFF_SITE, following
                    break
                current = following
                continue
            break
        else:
            result.error = TOO_MANY_REDIRECTS
    except _Refused as refused:
        result.error = refused.code
    except ValueError as exc:
        result.error, result.detail = INVALID, str(exc)[:200]
    except (OSError, http.client.HTTPException) as exc:
        result.error, result.detail = _classify(exc), (str(exc) or type(exc).__name__)[:200]
    if not result.error and time.monotonic() > deadline:
        result.error = TIMEOUT
    result.elapsed_ms = int((time.monotonic() - started) * 1000)
    return result


def _request(
    url: str, deadline: float, vet: bool, read_body: bool, result: FetchResult
) -> tuple[int, str | None]:
    """One hop; the status is noted on `result` as soon as it arrives (a body that then does not
    arrive in time still shows what the server answered)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        raise ValueError(f"not an http(s) address: {url}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError("no time left")
    connection = _connection(parts.scheme, host, port, remaining, vet)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("GET", target, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*"})
        response = connection.getresponse()
        result.status = response.status
        if read_body and response.status not in REDIRECT_STATUSES:
            _drain(response, connection.sock, deadline)
        return response.status, response.getheader("Location")
    finally:
        connection.close()
