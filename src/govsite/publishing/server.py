"""The embedded server's WSGI application: published files straight from disk, the rest to Django.

`govsite serve` runs this under granian. A reader's request for a public page is answered from
GOVSITE_PUBLIC_DIR/<hostname>/ without importing a view or opening a database connection, so pages
stay fast under load and stay up when the database is down. Only dynamic addresses
(GOVSITE_DYNAMIC_PREFIXES), non-GET methods and sites not yet published reach Django.

nginx (govsite.publishing.nginx) serves the same tree with the same rules: both take the MIME
types, cache lifetimes and security headers from this module and the file layout from layout.py.
"""

import email.utils
import errno
import html
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from http import HTTPStatus
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.http.request import split_domain_port, validate_host

from govsite.core.health import LIVENESS_PATH, READINESS_PATH
from govsite.versions.registry import split_version

from . import layout

logger = logging.getLogger("govsite.publishing.server")

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

# The publisher writes the default site's hostname here (publisher.mark_default_site); a dot file,
# so layout.relative_file never maps an address onto it.
DEFAULT_SITE_MARKER = ".default-site"

# One table for the embedded server and nginx's inline `types {}` block.
MIME_TYPES: dict[str, str] = {
    "html": "text/html; charset=utf-8",
    "htm": "text/html; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "js": "text/javascript; charset=utf-8",
    "mjs": "text/javascript; charset=utf-8",
    "json": "application/json",
    "map": "application/json",
    "xml": "application/xml; charset=utf-8",
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "svg": "image/svg+xml",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "avif": "image/avif",
    "ico": "image/x-icon",
    "woff": "font/woff",
    "woff2": "font/woff2",
    "ttf": "font/ttf",
    "otf": "font/otf",
    "pdf": "application/pdf",
    "ofd": "application/ofd",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "wps": "application/vnd.ms-works",
    "et": "application/vnd.ms-excel",
    "zip": "application/zip",
    "mp4": "video/mp4",
    "webm": "video/webm",
    "mp3": "audio/mpeg",
}
DEFAULT_MIME_TYPE = "application/octet-stream"
# Types that may have a precompressed .gz sibling (and get Vary: Accept-Encoding).
COMPRESSIBLE_TYPES = frozenset(
    t.split(";")[0]
    for t in MIME_TYPES.values()
    if t.startswith("text/") or t.split(";")[0].endswith(("json", "xml", "svg+xml"))
)

# collectstatic (CompressedManifestStaticFilesStorage) names files like site.3f2a1b4c5d6e.css:
# those never change, so browsers may keep them for a year.
HASHED_STATIC_RE = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+(\.gz)?$")
IMMUTABLE_CACHE = "public, max-age=31536000, immutable"
# Larger files are streamed in chunks of this size; smaller ones are sent in one piece.
STREAM_THRESHOLD = 256 * 1024
CHUNK_SIZE = 64 * 1024
MAX_PATH_LENGTH = 2048
# Wagtail documents may sit in private collections: they are served only through /documents/,
# where Wagtail checks permissions, never straight from MEDIA_ROOT. Original images (uploaded for
# drafts too, under their own file names) are never served: pages show renditions under images/.
# 依申请公开 files (applicants' ID scans, replies) are served only by govsite.disclosure's views.
PRIVATE_MEDIA_PREFIXES = ("documents/", "original_images/", "disclosure/", "interaction/")
# 等保 E9: of uploaded media only raster images are shown in the page (renditions); any other file
# (an SVG, HTML or XML file could run script on the public host) is sent as a download.
INLINE_MEDIA_EXTENSIONS = ("jpg", "jpeg", "png", "gif", "webp", "avif")
ATTACHMENT = ("Content-Disposition", "attachment")
# RFC 1035: a name is at most 253 characters (255 octets on the wire); a longer Host is refused.
MAX_HOSTNAME_LENGTH = 253
HOSTNAME_RE = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
SITE_CACHE_SECONDS = 1.0
# Answers of small files kept in memory per worker (hits are checked with one stat() each).
RESPONSE_CACHE_BYTES = 32 * 1024 * 1024
RESPONSE_CACHE_ENTRIES = 4096


def page_cache_control() -> str:
    return f"public, max-age={settings.GOVSITE_PAGE_MAX_AGE}"


def media_cache_control() -> str:
    return f"public, max-age={settings.GOVSITE_MEDIA_MAX_AGE}"


def content_type(name: str) -> str:
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return MIME_TYPES.get(ext, DEFAULT_MIME_TYPE)


def security_headers() -> list[tuple[str, str]]:
    """The headers Django's middleware puts on a public page, so files send exactly the same."""
    from csp.utils import build_policy

    headers = [
        ("Content-Security-Policy", build_policy(config=settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]))
    ]
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append(("X-Content-Type-Options", "nosniff"))
    if settings.SECURE_REFERRER_POLICY:
        headers.append(("Referrer-Policy", settings.SECURE_REFERRER_POLICY))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
    headers.append(("X-Frame-Options", settings.X_FRAME_OPTIONS))
    from govsite.core.middleware import permissions_policy

    if policy := permissions_policy():
        headers.append(("Permissions-Policy", policy))
    return headers


# The publisher's redirect files (publisher.redirect_stub): an HTML page that works on its own, with
# the status and the target the file servers answer with in two meta elements.
REDIRECT_STATUS_RE = re.compile(rb'<meta name="govsite-status" content="(30[1278])">')
REDIRECT_TARGET_RE = re.compile(rb'<meta http-equiv="refresh" content="0; url=([^"]*)">')


def parse_redirect_file(body: bytes) -> tuple[int, str] | None:
    """(status, Location) of a redirect file, or None if it is not one the publisher wrote."""
    status, target = REDIRECT_STATUS_RE.search(body), REDIRECT_TARGET_RE.search(body)
    if status is None or target is None:
        return None
    location = html.unescape(target.group(1).decode("utf-8", "replace"))
    if not location or "\r" in location or "\n" in location:
        return None
    return int(status.group(1)), location


def hsts_header() -> tuple[str, str] | None:
    """Strict-Transport-Security as Django's SecurityMiddleware builds it (HTTPS requests only)."""
    seconds = getattr(settings, "SECURE_HSTS_SECONDS", 0)
    if not seconds:
        return None
    value = f"max-age={seconds}"
    if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
        value += "; includeSubDomains"
    if settings.SECURE_HSTS_PRELOAD:
        value += "; preload"
    return ("Strict-Transport-Security", value)


def read_default_hostname(root: Path | None = None) -> str | None:
    """The default site's hostname as the publisher recorded it, without asking the database.

    Reads public/.default-site (the hostname, as publisher.mark_default_site writes it); a
    public/_default symlink to the default site's directory is accepted too.
    """
    root = root or layout.public_root()
    try:
        name = (root / DEFAULT_SITE_MARKER).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeError):
        try:
            name = Path(os.readlink(root / "_default")).name
        except OSError:
            return None
    return name.lower() if HOSTNAME_RE.match(name.lower()) else None


def write_default_hostname(hostname: str, root: Path | None = None) -> None:
    """Record the default site for the file servers (atomic: readers never see half a name)."""
    root = root or layout.public_root()
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".{DEFAULT_SITE_MARKER}.{os.getpid()}.tmp"
    tmp.write_text(hostname, encoding="utf-8")
    os.replace(tmp, root / DEFAULT_SITE_MARKER)


def http_date(timestamp: float) -> str:
    return email.utils.formatdate(timestamp, usegmt=True)


def etag_for(mtime: float, size: int) -> str:
    """nginx's ETag format, so the two servers agree on what "unchanged" means."""
    return f'"{int(mtime):x}-{size:x}"'


def accepts_gzip(accept_encoding: str) -> bool:
    for item in accept_encoding.split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip().lower() in ("gzip", "*"):
            q = params.strip().replace(" ", "")
            return not q.startswith("q=") or q[2:] not in ("0", "0.0", "0.00", "0.000")
    return False


def not_modified(environ: dict[str, Any], etag: str, mtime: float) -> bool:
    """If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2)."""
    inm = environ.get("HTTP_IF_NONE_MATCH")
    if inm is not None:
        if inm.strip() == "*":
            return True
        return etag in (tag.strip().removeprefix("W/") for tag in inm.split(","))
    ims = environ.get("HTTP_IF_MODIFIED_SINCE")
    if ims:
        try:
            since = email.utils.parsedate_to_datetime(ims).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            return False
        return int(mtime) <= since
    return False


class FileWrapper:
    """Streams an open file in chunks (used when the server offers no wsgi.file_wrapper)."""

    def __init__(self, filelike: IO[bytes], blksize: int = CHUNK_SIZE) -> None:
        self.filelike = filelike
        self.blksize = blksize

    def __iter__(self) -> Iterator[bytes]:
        while chunk := self.filelike.read(self.blksize):
            yield chunk

    def close(self) -> None:
        self.filelike.close()


class CachedFile:
    """A small file's 200 answer as serve_file built it, valid while the file's stat() is unchanged.

    The publisher replaces files atomically (a new inode), so (inode, size, mtime) names one version
    of a file; the entry also expires after SITE_CACHE_SECONDS, as the host → site mapping does, so a
    newly published site takes over from the default site as quickly as without the cache."""

    __slots__ = ("body", "etag", "expires", "headers", "mtime", "path", "stamp")

    def __init__(
        self, path: str, stamp: tuple[int, int, int], headers: list[tuple[str, str]], body: bytes,
        etag: str, mtime: float, expires: float,
    ) -> None:  # fmt: skip
        self.path, self.stamp, self.headers, self.body = path, stamp, headers, body
        self.etag, self.mtime, self.expires = etag, mtime, expires


def stamp_of(st: os.stat_result) -> tuple[int, int, int]:
    return (st.st_ino, st.st_size, st.st_mtime_ns)


class FileServer:
    """WSGI application: files for public pages, Django for everything else.

    Every answer for a file costs a few system calls; a missing page is the site's published
    404.html, also without Django, so probing for random addresses costs nothing either.
    """

    def __init__(
        self,
        django_app: WSGIApp,
        public_root: Path | None = None,
        static_root: Path | None = None,
        media_root: Path | None = None,
    ) -> None:
        self.django_app = django_app
        self.public_root = Path(public_root or layout.public_root())
        self.static_root = Path(static_root or settings.STATIC_ROOT)
        self.media_root = Path(media_root or settings.MEDIA_ROOT)
        self.serve_media = settings.GOVSITE_SERVE_MEDIA
        self.headers = security_headers()
        self.hsts = hsts_header()
        self.proxy_ssl_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
        self.allowed_hosts = list(settings.ALLOWED_HOSTS)
        if settings.DEBUG and not self.allowed_hosts:
            self.allowed_hosts = [".localhost", "127.0.0.1", "[::1]"]
        self.page_cache = page_cache_control()
        self.media_cache = media_cache_control()
        self._sites: dict[str, tuple[float, Path | None]] = {}
        from .redirects import MapCache  # needs the app registry: not at import time

        self.redirect_maps = MapCache()
        # Per-request work that never changes while the process runs, done once (profiled: the
        # settings lookups of layout.dynamic_prefixes() were the largest cost of a found page).
        self.dynamic_prefixes = layout.dynamic_prefixes()
        self._hosts: dict[str, str | None] = {}
        self._responses: dict[tuple[str, str, bool], CachedFile] = {}
        self._cached_bytes = 0
        self._cache_lock = threading.Lock()

    # --- dispatch ---------------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        try:
            return self.dispatch(environ, start_response)
        except Exception:  # never a traceback to the reader; Django's handler logs its own
            logger.exception("Embedded file server failed on %r", environ.get("PATH_INFO"))
            return self.plain(environ, start_response, "500 Internal Server Error", "服务器内部错误")

    def dispatch(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        if method in ("GET", "HEAD"):
            answer = self.from_cache(environ, start_response)
            if answer is not None:
                return answer
        try:
            # PEP 3333: PATH_INFO holds the decoded bytes as latin-1; published names are UTF-8.
            path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8")
        except UnicodeError:
            return self.plain(environ, start_response, "400 Bad Request", "请求地址无效")
        if "//" in path:  # as nginx's merge_slashes does
            path = re.sub("/{2,}", "/", path)
        if path == LIVENESS_PATH and method in ("GET", "HEAD"):
            # A web node's liveness: this process answers (no Django, no database).
            return self.plain(environ, start_response, "200 OK", "ok", cache_control="no-store")
        if (
            method not in ("GET", "HEAD")
            or path == READINESS_PATH
            or path.startswith(self.dynamic_prefixes)
            or (path + "/").startswith(self.dynamic_prefixes)
        ):
            return self.django_app(environ, start_response)

        if path.startswith("/static/"):
            return self.serve_static(environ, start_response, path[len("/static") :])
        if path.startswith("/media/") and self.serve_media:
            return self.serve_media_file(environ, start_response, path[len("/media") :])

        host = self.hostname(environ)
        if host is None:
            return self.plain(environ, start_response, "400 Bad Request", "请求的主机名无效")
        root = self.site_root(host)
        if root is None:  # nothing published for this site yet: the application renders it
            return self.django_app(environ, start_response)
        if len(path) > MAX_PATH_LENGTH:
            return self.not_found(environ, start_response, root)
        rel = layout.relative_file(path)
        if rel is None or not self.is_address(rel):
            return self.not_found(environ, start_response, root)
        return self.serve_file(environ, start_response, root / rel, self.page_cache, root=root, rel=rel)

    # --- the cache of small files ---------------------------------------------------------------
    def cache_key(self, environ: dict[str, Any]) -> tuple[str, str, bool]:
        """Everything that chooses the file of a GET: the Host, the path and gzip or not."""
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        gz = accepts_gzip(environ["HTTP_ACCEPT_ENCODING"]) if "HTTP_ACCEPT_ENCODING" in environ else False
        return (host, environ.get("PATH_INFO", "/"), gz)

    def from_cache(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes] | None:
        """A small file's answer from memory after one stat(), or None (the full path decides)."""
        entry = self._responses.get(self.cache_key(environ))
        if entry is None or entry.expires < time.monotonic():
            return None
        try:
            if stamp_of(os.stat(entry.path)) != entry.stamp:
                return None
        except OSError:
            return None
        extra = self.extra_headers(environ)
        if not_modified(environ, entry.etag, entry.mtime):
            start_response("304 Not Modified", entry.headers[:-1] + extra)  # without Content-Length
            return []
        start_response("200 OK", entry.headers + extra)
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [entry.body]

    def remember(
        self, environ: dict[str, Any], target: Path, st: os.stat_result, headers: list[tuple[str, str]],
        body: bytes, etag: str,
    ) -> None:  # fmt: skip
        """Keep a 200 answer of a small file; the oldest entries go first past the memory bound."""
        key = self.cache_key(environ)
        expires = time.monotonic() + SITE_CACHE_SECONDS
        entry = CachedFile(str(target), stamp_of(st), headers, body, etag, st.st_mtime, expires)
        with self._cache_lock:  # granian runs several threads per worker
            old = self._responses.pop(key, None)
            if old is not None:
                self._cached_bytes -= len(old.body)
            self._responses[key] = entry
            self._cached_bytes += len(body)
            while self._cached_bytes > RESPONSE_CACHE_BYTES or len(self._responses) > RESPONSE_CACHE_ENTRIES:
                oldest = next(iter(self._responses))
                self._cached_bytes -= len(self._responses.pop(oldest).body)

    @staticmethod
    def is_address(rel: str) -> bool:
        """False for files that are not addresses of their own: the 404 pages (every version's, as
        nginx's `internal` location) and the .gz twins, which are sent only as a Content-Encoding."""
        name = rel.rpartition("/")[2]
        return name != layout.NOT_FOUND_FILE and not name.endswith(".gz")

    def hostname(self, environ: dict[str, Any]) -> str | None:
        """The request's hostname if Django would accept it (ALLOWED_HOSTS), else None (remembered
        per Host header: the check walks ALLOWED_HOSTS)."""
        raw = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        if raw in self._hosts:
            return self._hosts[raw]
        if len(self._hosts) > 1024:  # any number of odd Host headers cannot grow the cache
            self._hosts.clear()
        self._hosts[raw] = self.valid_hostname(raw)
        return self._hosts[raw]

    def valid_hostname(self, raw: str) -> str | None:
        domain, _port = split_domain_port(raw.lower())
        # a name longer than DNS allows cannot be a site, nor a directory name (ENAMETOOLONG)
        if not domain or len(domain) > MAX_HOSTNAME_LENGTH or not validate_host(domain, self.allowed_hosts):
            return None
        return domain

    def site_root(self, host: str) -> Path | None:
        """The host's own directory, else the default site's (Site.find_for_request's fallback)."""
        now = time.monotonic()
        cached = self._sites.get(host)
        if cached and cached[0] > now:
            return cached[1]
        root: Path | None = None
        valid = len(host) <= MAX_HOSTNAME_LENGTH and HOSTNAME_RE.match(host)
        if valid and (self.public_root / host).is_dir():
            root = self.public_root / host
        else:
            default = read_default_hostname(self.public_root)
            if default and (self.public_root / default).is_dir():
                root = self.public_root / default
        if len(self._sites) > 1024:  # any number of odd Host headers cannot grow the cache
            self._sites.clear()
        self._sites[host] = (now + SITE_CACHE_SECONDS, root)
        return root

    # --- static and media -------------------------------------------------------------------
    def serve_static(
        self, environ: dict[str, Any], start_response: StartResponse, sub: str
    ) -> Iterable[bytes]:
        rel = layout.relative_file(sub) if len(sub) <= MAX_PATH_LENGTH else None
        if not (self.static_root / "staticfiles.json").is_file():
            # Before collectstatic (tests, a fresh checkout) WhiteNoise finds files in the apps.
            return self.django_app(environ, start_response)
        if rel is None or rel.endswith(".gz"):  # WhiteNoise's twins: sent only as Content-Encoding
            return self.plain(environ, start_response, "404 Not Found", "文件不存在")
        cache = IMMUTABLE_CACHE if HASHED_STATIC_RE.search(rel) else self.page_cache
        return self.serve_file(environ, start_response, self.static_root / rel, cache)

    def serve_media_file(
        self, environ: dict[str, Any], start_response: StartResponse, sub: str
    ) -> Iterable[bytes]:
        rel = layout.relative_file(sub) if len(sub) <= MAX_PATH_LENGTH else None
        if rel is None or rel.startswith(PRIVATE_MEDIA_PREFIXES):
            return self.plain(environ, start_response, "404 Not Found", "文件不存在")
        inline = rel.rsplit(".", 1)[-1].lower() in INLINE_MEDIA_EXTENSIONS
        return self.serve_file(
            environ, start_response, self.media_root / rel, self.media_cache, download=not inline
        )

    # --- files ------------------------------------------------------------------------------
    def open_variant(
        self, environ: dict[str, Any], target: Path, compressible: bool
    ) -> tuple[tuple[IO[bytes], os.stat_result] | None, Path, bool]:
        """The file to send: its .gz twin when the client takes gzip and one exists, else the file
        itself (IsADirectoryError for a directory); with the path opened and whether it is gzipped."""
        if compressible and accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING", "")):
            twin = target.with_name(target.name + ".gz")
            opened = self.open_file(twin)
            if opened is not None:
                return opened, twin, True
        return self.open_file(target, directories=True), target, False

    def serve_file(
        self,
        environ: dict[str, Any],
        start_response: StartResponse,
        target: Path,
        cache_control: str,
        root: Path | None = None,
        rel: str | None = None,
        status: str = "200 OK",
        kind: str | None = None,
        download: bool = False,
    ) -> Iterable[bytes]:
        """Send a file; `kind` names the file whose type it is when its own name says nothing (410);
        `download` sends it as an attachment (Content-Disposition), never shown as a page."""
        ctype = content_type(kind or target.name)
        compressible = ctype.split(";")[0] in COMPRESSIBLE_TYPES
        try:
            opened, source, gzipped = self.open_variant(environ, target, compressible)
        except IsADirectoryError:
            if rel is None:
                return self.plain(environ, start_response, "404 Not Found", "文件不存在")
            # /kjdt/mtjj → /kjdt/mtjj/, as Django's APPEND_SLASH and nginx do
            location = "/" + rel.rstrip("/") + "/"
            query = environ.get("QUERY_STRING")
            return self.redirect(environ, start_response, location + (f"?{query}" if query else ""))
        if opened is None:
            if root is not None and rel is not None:
                return self.unpublished(environ, start_response, root, rel)
            if root is not None:
                return self.not_found(environ, start_response, root)
            return self.plain(environ, start_response, "404 Not Found", "文件不存在")
        fh, st = opened
        size, mtime = st.st_size, st.st_mtime
        headers = [("Content-Type", ctype)]
        if download:
            headers.append(ATTACHMENT)
        if compressible:
            headers.append(("Vary", "Accept-Encoding"))
        if gzipped:
            headers.append(("Content-Encoding", "gzip"))
        headers.append(("Cache-Control", cache_control))
        if status.startswith("200"):
            etag = etag_for(mtime, size)
            headers += [("ETag", etag), ("Last-Modified", http_date(mtime))]
            if not_modified(environ, etag, mtime):
                fh.close()
                start_response("304 Not Modified", headers + self.extra_headers(environ))
                return []
        headers.append(("Content-Length", str(size)))
        start_response(status, headers + self.extra_headers(environ))
        if environ.get("REQUEST_METHOD") == "HEAD":
            fh.close()
            return []
        if size <= STREAM_THRESHOLD:
            with fh:
                body = fh.read()
            if status.startswith("200") and len(body) == size:
                self.remember(environ, source, st, headers, body, etag)
            return [body]
        wrapper = environ.get("wsgi.file_wrapper") or FileWrapper
        return wrapper(fh, CHUNK_SIZE)

    @staticmethod
    def open_file(target: Path, directories: bool = False) -> tuple[IO[bytes], os.stat_result] | None:
        """Open first, then fstat: a file the publisher replaces meanwhile is still sent whole."""
        try:
            fh = open(target, "rb")  # noqa: SIM115 - closed by the caller or the WSGI server
        except IsADirectoryError:
            if directories:
                raise
            return None
        except OSError as exc:
            if exc.errno not in (errno.ENOENT, errno.ENOTDIR, errno.ENAMETOOLONG, errno.EACCES, errno.EINVAL):
                logger.warning("Cannot open %s: %s", target, exc)
            return None
        return fh, os.fstat(fh.fileno())

    def unpublished(
        self, environ: dict[str, Any], start_response: StartResponse, root: Path, rel: str
    ) -> Iterable[bytes]:
        """An address without a file: withdrawn (410 and its notice), redirected, or missing (404).

        Status files are looked for only here, on a miss, so a found page costs nothing more.
        """
        gone = root / layout.status_file(rel, layout.GONE_SUFFIX)
        try:  # a name too long for the file system (ENAMETOOLONG) is simply not there
            withdrawn = gone.is_file()
        except OSError:
            withdrawn = False
        if withdrawn:
            return self.serve_file(environ, start_response, gone, "no-cache", status="410 Gone", kind=rel)
        try:
            stub = (root / layout.status_file(rel, layout.REDIRECT_SUFFIX)).read_bytes()
        except OSError:
            stub = b""
        target = parse_redirect_file(stub) if stub else None
        if target is not None:
            status, location = target
            return self.redirect(environ, start_response, location, status)
        return self.moved(environ, start_response, root)

    def moved(self, environ: dict[str, Any], start_response: StartResponse, root: Path) -> Iterable[bytes]:
        """A Wagtail redirect of the missing address (publishing/redirects.py), else the 404 page."""
        from .redirects import lookup

        try:
            path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8")
        except UnicodeError:
            path = "/"
        target = lookup(self.redirect_maps.get(root), path, environ.get("QUERY_STRING", ""))
        if target is not None:
            return self.redirect(environ, start_response, target[1], target[0])
        return self.not_found(environ, start_response, root)

    def not_found(
        self, environ: dict[str, Any], start_response: StartResponse, root: Path
    ) -> Iterable[bytes]:
        """The site's published 404 page, status 404: a missing address never reaches Django.

        A missing address of a version (/elder/…) gets that version's 404 page, as Django renders it:
        the reader stays in the version they chose (its styles, its 退出长辈版 link)."""
        try:
            path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8")
        except UnicodeError:
            path = "/"
        folder = split_version(path)[0].prefix.lstrip("/")
        for page in (root / folder / layout.NOT_FOUND_FILE, root / layout.NOT_FOUND_FILE):
            if page.is_file():
                return self.serve_file(environ, start_response, page, "no-cache", status="404 Not Found")
        return self.plain(environ, start_response, "404 Not Found", "您访问的页面不存在")

    def redirect(
        self, environ: dict[str, Any], start_response: StartResponse, location: str, status: int = 301
    ) -> Iterable[bytes]:
        from urllib.parse import quote

        headers = [
            ("Location", quote(location, safe="/?=&%:+,;~-_.!*'()@#")),
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", "0"),
        ]
        if status != 301:  # a temporary redirect (a link column) may change: never cached
            headers.append(("Cache-Control", "no-cache"))
        start_response(f"{status} {HTTPStatus(status).phrase}", headers + self.extra_headers(environ))
        return []

    def plain(
        self,
        environ: dict[str, Any],
        start_response: StartResponse,
        status: str,
        message: str,
        cache_control: str = "no-cache",
    ) -> Iterable[bytes]:
        body = f"{message}\n".encode()
        headers = [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Cache-Control", cache_control),
        ]
        start_response(status, headers + self.extra_headers(environ))
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [body]

    def extra_headers(self, environ: dict[str, Any]) -> list[tuple[str, str]]:
        if self.hsts and self.is_secure(environ):
            return [*self.headers, self.hsts]
        return self.headers

    def is_secure(self, environ: dict[str, Any]) -> bool:
        if environ.get("wsgi.url_scheme") == "https":
            return True
        if self.proxy_ssl_header:
            header, value = self.proxy_ssl_header
            return bool(environ.get(header) == value)
        return False


_application: FileServer | None = None


def get_application() -> FileServer:
    """Build the server around the project's WSGI application (once per process).

    Found through the WSGI_APPLICATION setting, as `runserver` does, so this app never imports the
    project module above it (govsite.wsgi, which also warms up search) directly.
    """
    global _application
    if _application is None:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.settings")
        from django.core.servers.basehttp import get_internal_wsgi_application

        _application = FileServer(get_internal_wsgi_application())
    return _application


def __getattr__(name: str) -> Any:
    # `govsite.publishing.server:application` for granian; built on first access so that nginx.py
    # can import the shared tables without loading Django's request handling.
    if name == "application":
        return get_application()
    raise AttributeError(name)
