"""Where the old site's pages come from: a directory of saved pages (a `wget --mirror` tree, whose
paths are the old addresses) or a polite crawl of the live old site from a sitemap or a start page.

Both hand the importer `SourcePage`s and fetch the images and attachments pages link to. A page that
cannot be read comes as a `SourcePage` without bytes and with the reason: the run goes on.

The crawl is bounded everywhere an old site can be endless: one host, robots.txt obeyed
(urllib.robotparser), a fixed pace (`GOVSITE_IMPORT_CRAWL_RATE` requests a second), a depth, a page
count, a size per response, and addresses that repeat their own folders (a calendar or a relative
link loop) are not followed. Its frontier is stored (`CrawlItem`): an interrupted crawl resumes.
"""

from __future__ import annotations

import contextlib
import re
import time
import urllib.error
import urllib.request
import urllib.robotparser
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Protocol
from urllib.parse import quote, unquote, urldefrag, urljoin, urlsplit

from django.conf import settings
from wagtail.models import Site

from govsite.content.models import ARTICLE_FILE_RE
from govsite.monitoring.outbound import registrable_domain

from .extract import max_page_bytes
from .models import CrawlItem

PAGE_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml", ".jsp", ".asp", ".aspx", ".php"}
ASSET_SUFFIX_RE = re.compile(
    r"\.(?:jpe?g|png|gif|bmp|webp|svg|ico|css|js|pdf|docx?|xlsx?|pptx?|wps|et|ofd|txt|zip|rar|7z|mp[34]|"
    r"avi|flv|swf|xml|json)$",
    re.I,
)
USER_AGENT = "govsite-import/1.0 (+docs/import.md)"
TIMEOUT_SECONDS = 20
MAX_URL_LENGTH = 500
MAX_SITEMAPS = 50
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def page_suffix(name: str) -> str:
    """The file type of a saved page, before any query wget kept in its name."""
    stem, _, query = name.partition("?")
    return PurePosixPath(stem).suffix.lower() or PurePosixPath(query).suffix.lower()


def max_asset_bytes() -> int:
    return int(settings.WAGTAILDOCS_MAX_UPLOAD_SIZE)


@dataclass(frozen=True)
class SourcePage:
    """One old page: its address and bytes, or why there are none (`failed`: an error, else a skip)."""

    url: str
    raw: bytes | None
    error: str = ""
    failed: bool = True


class Source(Protocol):
    description: str

    def pages(self) -> Iterator[SourcePage]: ...

    def total(self) -> int | None: ...

    def asset(self, url: str) -> bytes | None: ...


def mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


class DirectorySource:
    """Saved pages under `root`; `base_url` is the old site's address (from a wget tree's host folder
    when not given: `wget --mirror http://www.example.gov.cn/` saves under `www.example.gov.cn/`)."""

    def __init__(self, root: Path, base_url: str = "") -> None:
        if not base_url:
            hosts = [p for p in root.iterdir() if p.is_dir() and "." in p.name]
            if "." in root.name and not hosts:
                base_url = f"http://{root.name}/"
            elif len(hosts) == 1 and not any(p.is_file() for p in root.iterdir()):
                root = hosts[0]
                base_url = f"http://{root.name}/"
            else:
                base_url = "http://legacy.invalid/"
        self.root = root
        self.base_url = base_url.rstrip("/") + "/"
        self.description = str(root)
        self._files: list[Path] | None = None

    def files(self) -> list[Path]:
        """The saved pages, those at TRS-style addresses first: when one article is saved under two
        addresses, the one govsite can keep becomes the article and the other its redirect."""
        if self._files is None:
            found = (p for p in self.root.rglob("*") if page_suffix(p.name) in PAGE_SUFFIXES and p.is_file())
            self._files = sorted(found, key=lambda p: (not ARTICLE_FILE_RE.match(p.name), p))
        return self._files

    def total(self) -> int | None:
        return len(self.files())

    def url_of(self, path: Path) -> str:
        """The old address of a saved file; wget keeps a query in the name (`show.asp?id=17`, with
        `.html` appended by --adjust-extension)."""
        relative = path.relative_to(self.root).as_posix()
        relative, _, query = relative.partition("?")
        if query.endswith(".html") and not relative.lower().endswith((".htm", ".html")):
            query = query.removesuffix(".html")
        url = self.base_url + quote(relative)
        return f"{url}?{quote(query, safe='=&;,+')}" if query else url

    def pages(self) -> Iterator[SourcePage]:
        limit = max_page_bytes()
        for path in self.files():
            url = self.url_of(path)
            try:
                size = path.stat().st_size
                if size > limit:
                    yield SourcePage(
                        url, None, f"页面文件过大（{mb(size)}，上限 {mb(limit)}），未导入。", False
                    )
                    continue
                yield SourcePage(url, path.read_bytes())
            except OSError as exc:
                yield SourcePage(url, None, f"无法读取文件：{exc.strerror or exc}")

    def asset(self, url: str) -> bytes | None:
        """The saved copy of an image or attachment of the old site, if the mirror has it."""
        parts, base = urlsplit(url), urlsplit(self.base_url)
        if parts.hostname and parts.hostname != base.hostname:
            return None
        relative = unquote(parts.path).lstrip("/")
        candidates = [relative + (f"?{parts.query}" if parts.query else ""), relative]
        for name in candidates:
            path = (self.root / name).resolve()
            if not path.is_relative_to(self.root.resolve()) or not path.is_file():
                continue
            if path.stat().st_size > max_asset_bytes():
                return None
            return path.read_bytes()
        return None


class LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("a", "area", "frame", "iframe"):
            for name, value in attrs:
                if name in ("href", "src") and value:
                    self.links.append(value.strip())


def links_of(raw: bytes, base: str) -> list[str]:
    parser = LinkParser()
    utf8 = b"charset=utf" in raw[:2000].lower() or b'charset="utf' in raw[:2000].lower()
    with contextlib.suppress(Exception):  # a page whose links cannot be read has none to follow
        parser.feed(raw.decode("utf-8" if utf8 else "gb18030", errors="replace"))
    return [urldefrag(urljoin(base, link))[0] for link in parser.links]


def looks_like_loop(url: str) -> bool:
    """A long address, or one that repeats a folder three times (a relative-link or calendar loop)."""
    if len(url) > MAX_URL_LENGTH:
        return True
    parts = [p for p in urlsplit(url).path.split("/") if p]
    return any(parts.count(p) >= 3 for p in set(parts))


class NotAllowedRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are followed on the old site's own host only."""

    def __init__(self, host: str) -> None:
        self.host = host

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if (urlsplit(newurl).hostname or "") != self.host:
            raise urllib.error.HTTPError(newurl, code, "跳转到了其他网站", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


@dataclass
class Fetched:
    body: bytes | None
    error: str = ""
    content_type: str = ""


class CrawlSource:
    """A polite crawl of the old site from `start_url` (a page, or a sitemap ending in .xml)."""

    def __init__(self, site: Site, start_url: str, *, max_depth: int = 8, max_pages: int = 50_000) -> None:
        self.site = site
        self.start_url = start_url
        self.host = (urlsplit(start_url).hostname or "").lower()
        self.domain = registrable_domain(self.host)
        self.description = start_url
        self.max_depth = max_depth
        self.max_pages = max_pages
        rate = float(getattr(settings, "GOVSITE_IMPORT_CRAWL_RATE", 2.0))
        self.interval = 1.0 / max(min(rate, 10.0), 0.1)  # never more than 10 requests a second
        self.last_request = 0.0
        self.opener = urllib.request.build_opener(NotAllowedRedirect(self.host))
        self.robots = urllib.robotparser.RobotFileParser()
        self._robots_read = False

    def total(self) -> int | None:
        return None

    def fetch(self, url: str, limit: int) -> Fetched:
        wait = self.last_request + self.interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310 - http(s) only
        try:
            with self.opener.open(request, timeout=TIMEOUT_SECONDS) as response:
                body = response.read(limit + 1)
                if len(body) > limit:
                    return Fetched(None, f"文件过大（超过 {mb(limit)}），未导入。")
                return Fetched(body, "", response.headers.get("Content-Type", ""))
        except urllib.error.HTTPError as exc:
            return Fetched(None, f"原网站返回 HTTP {exc.code}（{exc.reason}）。")
        except (urllib.error.URLError, OSError, ValueError) as exc:
            return Fetched(None, f"无法访问原网站：{getattr(exc, 'reason', exc)}")
        finally:
            self.last_request = time.monotonic()

    def allowed(self, url: str) -> bool:
        if not self._robots_read:
            self._robots_read = True
            robots_url = urljoin(self.start_url, "/robots.txt")
            fetched = self.fetch(robots_url, 512 * 1024)
            lines = (fetched.body or b"").decode("utf-8", errors="replace").splitlines()
            self.robots.parse(lines)  # none (404): everything allowed
        return self.robots.can_fetch(USER_AGENT, url)

    def on_site(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and (parts.hostname or "").lower() == self.host

    def frontier(self) -> Iterator[CrawlItem]:
        items = CrawlItem.objects.filter(site=self.site, start_url=self.start_url)
        while True:
            item = items.filter(done=False).order_by("pk").first()
            if item is None:
                return
            yield item

    def add(self, urls: list[str], depth: int) -> None:
        known = CrawlItem.objects.filter(site=self.site, start_url=self.start_url).count()
        fresh = [
            CrawlItem(site=self.site, start_url=self.start_url, url=url, depth=depth)
            for url in dict.fromkeys(urls)
            if self.on_site(url)
            and not looks_like_loop(url)
            and not ASSET_SUFFIX_RE.search(urlsplit(url).path)
        ][: max(self.max_pages - known, 0)]
        CrawlItem.objects.bulk_create(fresh, ignore_conflicts=True)

    def seed(self) -> None:
        if CrawlItem.objects.filter(site=self.site, start_url=self.start_url).exists():
            return  # resuming
        if urlsplit(self.start_url).path.endswith(".xml"):
            self.read_sitemap(self.start_url, 0)
        else:
            CrawlItem.objects.create(site=self.site, start_url=self.start_url, url=self.start_url, depth=0)

    def read_sitemap(self, url: str, nested: int) -> None:
        fetched = self.fetch(url, 50 * 1024 * 1024)
        if fetched.body is None or nested > MAX_SITEMAPS:
            return
        try:
            tree = ET.fromstring(fetched.body)  # noqa: S314 - the migrated site's own sitemap, size-capped
        except ET.ParseError:
            return
        locs = [(loc.text or "").strip() for loc in tree.iter(f"{SITEMAP_NS}loc")]
        if tree.tag == f"{SITEMAP_NS}sitemapindex":
            for index, child in enumerate(locs[:MAX_SITEMAPS]):
                if self.on_site(child):
                    self.read_sitemap(child, nested + index + 1)
            return
        self.add(locs, self.max_depth)  # a sitemap lists the pages: their links are not followed

    def pages(self) -> Iterator[SourcePage]:
        self.seed()
        for item in self.frontier():
            page = self.visit(item)
            if page is not None:
                yield page
            item.done = True
            item.save(update_fields=["done"])

    def visit(self, item: CrawlItem) -> SourcePage | None:
        if not self.allowed(item.url):
            return SourcePage(item.url, None, "robots.txt 不允许抓取该地址。", False)
        fetched = self.fetch(item.url, max_page_bytes())
        if fetched.body is None:
            return SourcePage(item.url, None, fetched.error)
        if "html" not in fetched.content_type.lower() and fetched.content_type:
            return None  # not a page (a file linked without a telling suffix)
        if item.depth < self.max_depth:
            self.add(links_of(fetched.body, item.url), item.depth + 1)
        return SourcePage(item.url, fetched.body)

    def asset(self, url: str) -> bytes | None:
        """An image or attachment of the old site, from its own host or a host of the same domain
        (never another site: a page's link must not make the platform fetch from elsewhere)."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https") or registrable_domain(host) != self.domain:
            return None
        return self.fetch(url, max_asset_bytes()).body


def open_source(site: Site, source: str, base_url: str = "") -> Source:
    """A directory path or an http(s) address; ValueError (Chinese) for anything else."""
    if source.startswith(("http://", "https://")):
        return CrawlSource(site, source)
    path = Path(source)
    if not path.is_dir():
        raise ValueError(f"来源“{source}”既不是目录，也不是 http(s) 网址。")
    return DirectorySource(path, base_url)
