"""The link crawl: every published HTML file of a site read once, every `<a href>`, `<img src>`,
`<link href>`, `<script src>`, `<iframe src>`, `<source src>` and `<area href>` target collected.

Targets on the platform's own hosts are resolved against the published files by a `Resolver` the
caller gives (the files' layout belongs to publishing, a layer this app may not import), each unique
target once; the others are the outbound links, recorded for the background check.

Speed (docs/monitoring.md): a tokenizer for the few attributes needed, each target sorted and resolved
once per crawl, files split between worker processes (fork) on larger sites.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from html import unescape
from multiprocessing import get_context
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

# Attributes read per tag: what a reader's browser loads or follows.
LINK_ATTRIBUTES = {
    "a": "href",
    "area": "href",
    "link": "href",
    "img": "src",
    "script": "src",
    "iframe": "src",
    "source": "src",
    "embed": "src",
}
SKIPPED_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "sms:", "weixin:", "#")
PAGES_KEPT = 10  # pages named per broken or outbound target (the count says how many)
PARALLEL_FROM = 2000  # files: below this one process is faster than starting workers
# (host, path) → None when the target is fine, else what is wrong with it (Chinese, for the finding)
Resolver = Callable[[str, str], str | None]


@dataclass
class Target:
    problem: str = ""
    pages: list[str] = field(default_factory=list)
    count: int = 0

    def seen_on(self, page: str) -> None:
        self.count += 1
        if len(self.pages) < PAGES_KEPT:
            self.pages.append(page)

    def merge(self, other: Target) -> None:
        self.count += other.count
        self.pages = sorted(set(self.pages) | set(other.pages))[:PAGES_KEPT]


@dataclass
class CrawlResult:
    files: int = 0
    internal: int = 0  # unique internal targets
    broken: dict[str, Target] = field(default_factory=dict)  # internal URL → problem and pages
    external: dict[str, Target] = field(default_factory=dict)  # outbound URL → pages
    seconds: float = 0.0

    def merge(self, other: CrawlResult) -> None:
        self.files += other.files
        self.internal += other.internal
        for mine, theirs in ((self.broken, other.broken), (self.external, other.external)):
            for url, target in theirs.items():
                if url in mine:
                    mine[url].merge(target)
                else:
                    mine[url] = target


def page_address(rel: str) -> str:
    """The address of a published file: kjdt/index.html → /kjdt/, kjdt/t1.html → /kjdt/t1.html."""
    if rel == "index.html":
        return "/"
    if rel.endswith("/index.html"):
        return "/" + rel[: -len("index.html")]
    return "/" + rel


def published_pages(site_dir: Path) -> Iterator[str]:
    """Every published HTML file's path relative to the site directory, in a stable order (dot-named
    status files and .gz twins are not pages of their own)."""
    stack = [site_dir]
    found: list[str] = []
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            elif entry.name.endswith(".html"):
                found.append(os.path.relpath(entry.path, site_dir).replace(os.sep, "/"))
    found.sort()
    yield from found


# A tokenizer for the attributes we need, several times faster than building lxml's tree (the tests
# check it finds exactly what lxml finds on every published page): comments are dropped and the bodies
# of <script> and <style> skipped (their text is not markup), then each link tag's href (a, area,
# link) or src (the others) is matched, quoted ">" inside other attributes included.
_NOT_MARKUP = re.compile(
    rb"""<!--.*?-->|<(script|style)\b((?:[^>"']+|"[^"]*"|'[^']*')*)>.*?</\1\s*>""", re.S | re.I
)
_LINK = re.compile(
    rb"""<(?:(a|area|link)|img|script|iframe|source|embed)\b(?:[^>"']+?|"[^"]*"|'[^']*')*?"""
    rb"""\s(?(1)href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""",
    re.I,
)


def _keep_tag(match: re.Match[bytes]) -> bytes:
    return b"" if match.group(1) is None else b"<" + match.group(1) + match.group(2) + b">"


def raw_links(html: bytes) -> Iterator[str]:
    """The link targets in an HTML document, as written (entities decoded)."""
    for _tag, double, single, bare in _LINK.findall(_NOT_MARKUP.sub(_keep_tag, html)):
        value = (double or single or bare).decode("utf-8", "replace")
        if "&" in value:
            value = unescape(value)
        value = value.strip()
        if value:
            yield value


# What a target means, decided once per raw value (and page folder, for relative ones): None when it
# is fine or not a link to check, else (EXTERNAL, url, "") or (BROKEN, address shown, problem).
EXTERNAL, BROKEN = 0, 1
Verdict = tuple[int, str, str] | None


class Crawler:
    """Reads files and sorts their targets; one per process, with its own cache of resolved targets."""

    def __init__(self, site_dir: Path, host: str, scheme: str, internal_hosts: set[str], resolve: Resolver):
        self.site_dir = site_dir
        self.host = host
        self.origin = f"{scheme}://{host}"
        self.internal_hosts = internal_hosts
        self.resolve = resolve
        self.verdicts: dict[str, Verdict] = {}
        self.resolved: dict[tuple[str, str], str | None] = {}

    def crawl(self, files: list[str]) -> CrawlResult:
        result = CrawlResult()
        verdicts = self.verdicts
        for rel in files:
            try:
                html = (self.site_dir / rel).read_bytes()
            except OSError:
                continue  # replaced or removed by the publisher meanwhile
            result.files += 1
            page = page_address(rel)
            folder = page.rpartition("/")[0]
            for raw in set(raw_links(html)):
                # a target's meaning depends on the page's folder only when it is relative
                key = raw if raw[0] == "/" or "://" in raw[:12] else f"{folder}\n{raw}"
                if key in verdicts:
                    verdict = verdicts[key]
                else:
                    verdict = verdicts[key] = self.judge(raw, self.origin + page)
                if verdict is not None:
                    bucket = result.external if verdict[0] == EXTERNAL else result.broken
                    if verdict[1] not in bucket:
                        bucket[verdict[1]] = Target(problem=verdict[2])
                    bucket[verdict[1]].seen_on(page)
        result.internal = len(self.resolved)
        return result

    def judge(self, raw: str, base: str) -> Verdict:
        if raw.lower().startswith(SKIPPED_SCHEMES):
            return None
        try:
            parts = urlsplit(urljoin(base, raw))
            host = (parts.hostname or "").lower()
        except ValueError:
            return (BROKEN, raw, "地址格式错误")
        if parts.scheme not in ("http", "https"):
            return None
        if host not in self.internal_hosts:
            query = parts.query
            if query and (self.host in query or self.host in unquote(query)):
                query = ""  # a share button carrying this page's address: one link, not one per page
            return (EXTERNAL, parts._replace(query=query, fragment="").geturl(), "")
        path = unquote(parts.path or "/")
        if (host, path) not in self.resolved:
            self.resolved[(host, path)] = self.resolve(host, path)
        problem = self.resolved[(host, path)]
        if not problem:
            return None
        shown = parts._replace(fragment="").geturl()
        if host == self.host:
            shown = parts._replace(scheme="", netloc="", fragment="").geturl()
        return (BROKEN, shown, problem)


_WORKER: Crawler | None = None  # the forked workers' crawler (inherited, never pickled)


def _crawl_chunk(files: list[str]) -> CrawlResult:
    if _WORKER is None:
        raise RuntimeError("crawl worker started without a crawler")
    return _WORKER.crawl(files)


def crawl_site(
    site_dir: Path,
    host: str,
    internal_hosts: set[str],
    resolve: Resolver,
    scheme: str = "http",
    workers: int | None = None,
) -> CrawlResult:
    """Crawl the published files under `site_dir` (the site answering at `host`).

    `resolve` must be ready before the call (it is inherited by forked workers, so it may hold sets
    loaded from the database, but must not query it).
    """
    global _WORKER
    started = time.monotonic()
    crawler = Crawler(site_dir, host, scheme, internal_hosts | {host}, resolve)
    files = list(published_pages(site_dir))
    workers = workers if workers is not None else min(os.cpu_count() or 1, 4)
    if workers <= 1 or len(files) < PARALLEL_FROM:
        result = crawler.crawl(files)
    else:
        result = CrawlResult()
        size = max(200, len(files) // (workers * 8))
        chunks = [files[i : i + size] for i in range(0, len(files), size)]
        _WORKER = crawler
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
                for part in pool.map(_crawl_chunk, chunks):
                    result.merge(part)
        finally:
            _WORKER = None
        # unique internal targets over all chunks cannot be summed; count them as the chunks saw them
    for target in (*result.broken.values(), *result.external.values()):
        target.pages.sort()
    result.seconds = time.monotonic() - started
    return result
