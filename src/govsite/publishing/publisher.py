"""Render public addresses through the application and write them as files, atomically.

One renderer: a published file is exactly the response the application gives for that address
(same views, templates and middleware), so the static site and the dynamic one cannot drift.
"""

import gzip
import logging
import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpResponse
from django.test import Client
from wagtail.models import Site

from govsite.content.models import ARTICLE_FILE_RE
from govsite.content.prefetch import prime_articles
from govsite.core.views import PUBLISHER_ENVIRON_KEY
from govsite.versions.registry import VERSIONS

from .handler import get_page
from .layout import (
    GONE_SUFFIX,
    NOT_FOUND_FILE,
    REDIRECT_SUFFIX,
    STATUS_SUFFIXES,
    public_root,
    relative_file,
    site_dir,
    status_file,
    temporary_file,
)

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

logger = logging.getLogger("govsite.publishing")

DEFAULT_SITE_MARKER = ".default-site"
COMPRESSIBLE_SUFFIXES = (".html", ".xml", ".txt")
MIN_COMPRESS_BYTES = 256
NOT_FOUND_PATH = "/" + NOT_FOUND_FILE

_state = threading.local()


@contextmanager
def suspended() -> Iterator[None]:
    """Skip publishing while many pages change at once (demo build, imports); rebuild after."""
    previous = getattr(_state, "suspended", False)
    _state.suspended = True
    try:
        yield
    finally:
        _state.suspended = previous


def is_suspended() -> bool:
    return getattr(_state, "suspended", False) or not settings.GOVSITE_STATIC_PUBLISHING


@dataclass(frozen=True)
class Address:
    """A public address of a site. HTML addresses exist once per version (standard, 长辈版…)."""

    path: str
    versioned: bool = True

    def paths(self) -> list[str]:
        if not self.versioned:
            return [self.path]
        return [version.prefix + self.path for version in VERSIONS]


@dataclass
class Report:
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # (hostname, path, error)
    # Files (relative to the site dir) written or removed: publishing.signals.files_changed sends them.
    paths: set[str] = field(default_factory=set)

    def merge(self, other: "Report") -> None:
        self.written += other.written
        self.unchanged += other.unchanged
        self.removed += other.removed
        self.failed.extend(other.failed)
        self.paths |= other.paths

    def __str__(self) -> str:
        return f"写入 {self.written}，未变 {self.unchanged}，删除 {self.removed}，失败 {len(self.failed)}"


def _host_header(site: Site) -> str:
    return site.hostname if site.port in (80, 443) else f"{site.hostname}:{site.port}"


def write_atomically(target: Path, body: bytes) -> bool:
    """Replace `target` with `body` so that readers see the old or the new file, never a mix.

    Returns False (and writes nothing) when the file already holds these bytes.
    """
    try:
        if target.stat().st_size == len(body) and target.read_bytes() == body:
            return False
    except FileNotFoundError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    _replace(target, body)
    if target.suffix in COMPRESSIBLE_SUFFIXES and len(body) >= MIN_COMPRESS_BYTES:
        _replace(target.with_name(target.name + ".gz"), gzip.compress(body, compresslevel=6, mtime=0))
    else:
        target.with_name(target.name + ".gz").unlink(missing_ok=True)
    return True


def _replace(target: Path, body: bytes) -> None:
    tmp = temporary_file(target)
    try:
        tmp.write_bytes(body)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def remove_file(target: Path, keep: Path | None = None) -> bool:
    """Remove every answer of an address: its file and .gz twin, its status files; all but `keep`
    (the answer just written). True if an answer existed."""
    existed = False
    if keep != target:
        existed = target.exists()
        target.unlink(missing_ok=True)
        target.with_name(target.name + ".gz").unlink(missing_ok=True)
    for suffix in STATUS_SUFFIXES:
        path = target.parent / status_file(target.name, suffix)
        if path != keep and path.exists():
            existed = True
            path.unlink(missing_ok=True)
    return existed


def answer_files(rel: str) -> list[str]:
    """Every file that can hold an address's answer (what remove_file removes), relative to the site."""
    return [rel, rel + ".gz", *(status_file(rel, suffix) for suffix in STATUS_SUFFIXES)]


def redirect_stub(location: str, status: int = 301) -> bytes:
    """A redirect file: the file servers answer with its status and target (server.parse_redirect_file);
    opened as a page, it still takes the browser there."""
    escaped = location.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f'<meta name="govsite-status" content="{status}">'
        f'<meta http-equiv="refresh" content="0; url={escaped}"><title>页面已转移</title></head>'
        f'<body><p>页面已转移至 <a href="{escaped}">{escaped}</a>。</p></body></html>\n'
    ).encode()


def article_ids(paths: Iterable[str]) -> set[int]:
    """The ids of the articles among these addresses (…/YYYYMM/t20210331_37.html)."""
    found = (ARTICLE_FILE_RE.match(path.rsplit("/", 1)[-1]) for path in paths)
    return {int(match["id"]) for match in found if match}


def _client() -> Client:
    """One in-process client per thread: building the middleware chain costs ~0.2 s (WhiteNoise
    scans the static files), far more than rendering a page, so it is built once, not per job."""
    client = getattr(_state, "client", None)
    if client is None:
        client = _state.client = Client(raise_request_exception=True)
    return client


class Publisher:
    """Renders and writes the addresses of one site."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.root = site_dir(site.hostname)
        self.client = _client()
        self.host = _host_header(site)

    def publish(self, paths: Iterable[str]) -> Report:
        paths = list(paths)
        prime_articles(article_ids(paths))  # one query per kind of record, not one per page
        report = Report()
        for path in paths:
            self.publish_one(path, report)
        return report

    def render(self, path: str, environ: dict[str, Any]) -> "HttpResponse | _MonkeyPatchedWSGIResponse":
        """The application's answer for `path`: an article address through the body-only request
        stack first (publishing/handler.py), any other address or answer through the full one."""
        if ARTICLE_FILE_RE.match(path.rsplit("/", 1)[-1]):
            response = get_page(path, **environ)
            if response.status_code == 200 and isinstance(response, HttpResponse):
                return response
        return self.client.get(path, **environ)

    def publish_one(self, path: str, report: Report) -> None:
        rel = relative_file(path)
        if rel is None:
            report.failed.append((self.site.hostname, path, "not a publishable address"))
            return
        target = self.root / rel
        self.client.cookies.clear()  # every file is what an anonymous first-time reader gets
        try:
            environ: dict[str, Any] = {"HTTP_HOST": self.host, PUBLISHER_ENVIRON_KEY: "1"}
            response = self.render(path, environ)
        except Exception as exc:  # the old file stays; the failure is reported
            logger.exception("Rendering %s%s failed", self.site.hostname, path)
            report.failed.append((self.site.hostname, path, f"{type(exc).__name__}: {exc}"))
            return
        status = response.status_code
        # Only a 200 is written under the address's own name; any other answer goes to a status
        # file beside it (layout.py), which the file servers answer with on a miss.
        destination = target
        if status == 200:
            body = response.content
        elif status == 410:  # 撤稿 (Withdrawal.Mode.GONE): the notice, served with 410
            body = response.content
            destination = target.parent / status_file(target.name, GONE_SUFFIX)
        elif status in (301, 302, 307, 308):
            body = redirect_stub(response["Location"], status)
            destination = target.parent / status_file(target.name, REDIRECT_SUFFIX)
        elif status == 404:
            if remove_file(target):
                report.removed += 1
                report.paths.update(answer_files(rel))
            return
        else:
            report.failed.append((self.site.hostname, path, f"HTTP {status}"))
            return
        if write_atomically(destination, body):
            report.written += 1
            report.paths.update(answer_files(rel))
        else:
            report.unchanged += 1
        if remove_file(target, keep=destination):  # the address's previous answer, after the new one is in
            report.paths.update(answer_files(rel))

    def remove(self, paths: Iterable[str]) -> Report:
        report = Report()
        for path in paths:
            rel = relative_file(path)
            if rel is not None and remove_file(self.root / rel):
                report.removed += 1
                report.paths.update(answer_files(rel))
        return report


def mark_default_site() -> None:
    """Tell the file servers which site answers unknown hostnames, without asking the database."""
    default = Site.objects.filter(is_default_site=True).first()
    if default is None:
        return
    public_root().mkdir(parents=True, exist_ok=True)
    write_atomically(public_root() / DEFAULT_SITE_MARKER, default.hostname.encode())
