"""等保 E9: every input of the corpus as a URL path, through the embedded server and through Django.

The embedded server (publishing/server.py, `govsite serve`) is called as a WSGI application in front of
a published tree, with a secret beside the tree and a private upload under /media/: no path may reach
either, nor give a 5xx. Django answers its share of the paths under each public prefix.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote_from_bytes

import pytest
from django.test import Client

from govsite.publishing import layout
from govsite.publishing.server import FileServer, write_default_hostname

from . import corpus
from .harness import TALLY, check, timed

HOST = "kjt.localhost"
SECRET = b"SECRET-OUTSIDE-THE-PUBLIC-TREE"
PREFIXES = ["/", "/kjdt/", "/elder/", "/static/", "/media/", "/media/images/", "/documents/", "/search/"]
DJANGO_PREFIXES = [
    "/",
    "/kjdt/",
    "/elder/",
    "/documents/1/",
    "/sitemaps/",
    "/yisqgk/fj/",
    "/gzcy/zj/",
    "/media/",
    "/zhanghu/",
]


def as_path(prefix: str, item: corpus.Hostile) -> str:
    """The input as the rest of a path, percent-encoded (a `%` of the input stays an escape itself, so
    %2e%2e and ..%c0%af reach the server as such)."""
    return prefix + quote_from_bytes(item.raw, safe="/%;?#=&:@!$'()*+,~")


class DjangoStub:
    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"django"]


@pytest.fixture
def server(settings: Any, tmp_path: Path) -> FileServer:
    settings.GOVSITE_PUBLIC_DIR = tmp_path / "public"
    settings.STATIC_ROOT = tmp_path / "static"
    settings.MEDIA_ROOT = tmp_path / "media"
    for path, body in (("/", "<html>科技厅</html>"), ("/404.html", "<html>页面不存在</html>")):
        target = layout.site_dir(HOST) / str(layout.relative_file(path))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body.encode())
        target.with_name(target.name + ".gz").write_bytes(gzip.compress(body.encode()))
    write_default_hostname(HOST)
    (tmp_path / "secret.txt").write_bytes(SECRET)
    (tmp_path / "public" / "secret.txt").write_bytes(SECRET)  # beside the sites, not in one
    private = tmp_path / "media" / "disclosure" / "x.pdf"
    private.parent.mkdir(parents=True)
    private.write_bytes(SECRET)
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "staticfiles.json").write_text("{}")
    return FileServer(DjangoStub())


def call(server: FileServer, raw_path: str) -> tuple[int, dict[str, str], bytes]:
    """One GET as a WSGI server passes it: PATH_INFO decoded, as latin-1 (PEP 3333)."""
    from urllib.parse import unquote_to_bytes

    path, _, query = raw_path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
        "QUERY_STRING": query,
        "HTTP_HOST": HOST,
        "SERVER_NAME": HOST,
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
    }
    status: list[str] = []
    headers: list[tuple[str, str]] = []

    def start_response(line: str, sent: list[tuple[str, str]], exc_info: Any = None) -> None:
        status.append(line)
        headers.extend(sent)

    body = b"".join(server(environ, start_response))
    return int(status[0].split()[0]), {k.lower(): v for k, v in headers}, body


@pytest.mark.django_db
def test_every_input_as_a_path_of_the_embedded_server(server: FileServer) -> None:
    with timed():
        for index, item in enumerate(corpus.load()):
            for prefix in (PREFIXES[index % len(PREFIXES)], "/"):
                status, headers, body = call(server, as_path(prefix, item))
                TALLY.requests += 1
                TALLY.inputs.add(item.raw)
                TALLY.routes.add("embedded server")
                assert status < 500, (status, item.label)
                assert SECRET not in body, item.label
                for name, value in headers.items():
                    assert "\r" not in value and "\n" not in value, (name, item.label)


@pytest.mark.django_db
def test_inputs_as_paths_of_the_application(client: Client) -> None:
    """Django's URL resolver and the public views: a sample of every family under every prefix."""
    with timed():
        for index, prefix in enumerate(DJANGO_PREFIXES):
            for item in corpus.sample(1, index):
                response = client.get(as_path(prefix, item), HTTP_HOST=HOST)
                check(response, [item], f"path {prefix}")
                for name, value in response.items():
                    assert "\r" not in value and "\n" not in value, (name, item.label)
