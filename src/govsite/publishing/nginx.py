"""A complete nginx.conf for serving the published tree, one server block per Wagtail Site.

The file runs as `nginx -c FILE` with nothing else: pid, logs and temp files live under
GOVSITE_VAR_DIR/nginx/, MIME types are inline. Files, the 404 page, /static/ and /media/ are
served by nginx itself with the same headers the embedded server (server.py) sends; dynamic
prefixes (and non-GET requests) are proxied to the application.
"""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

from govsite.core.health import HEALTH_PATHS, LIVENESS_PATH, READINESS_PATH

from . import layout, redirects
from .server import (
    ATTACHMENT,
    COMPRESSIBLE_TYPES,
    HASHED_STATIC_RE,
    IMMUTABLE_CACHE,
    INLINE_MEDIA_EXTENSIONS,
    MIME_TYPES,
    PRIVATE_MEDIA_PREFIXES,
    hsts_header,
    media_cache_control,
    page_cache_control,
    read_default_hostname,
    security_headers,
)


@dataclass(frozen=True)
class SiteEntry:
    hostname: str
    is_default: bool


def nginx_dir() -> Path:
    return Path(settings.VAR_DIR) / "nginx"


def quote(value: str) -> str:
    """An nginx string literal. nginx cannot escape "$" in a string, so none may contain one."""
    if "$" in value or "\n" in value:
        raise ValueError(f"cannot write {value!r} into nginx.conf")
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def upstream_urls(upstream: str | list[str]) -> list[str]:
    """`http://10.0.0.5:8000,http://10.0.0.6:8000` (or a list) → each application node's URL."""
    urls = upstream.split(",") if isinstance(upstream, str) else upstream
    urls = [url.strip() for url in urls if url.strip()]
    if not urls:
        raise ValueError("no application address given (--upstream/--app)")
    return urls


def upstream_block(upstream: str | list[str]) -> list[str]:
    """The `upstream govsite_app`: one application node, or several that share the load (a node that
    refuses connections is left out for a while; nginx retries an idempotent request on the next)."""
    urls = upstream_urls(upstream)
    several = " max_fails=3 fail_timeout=10s" if len(urls) > 1 else ""
    return [
        "upstream govsite_app {",
        *[f"    server {upstream_server(url)}{several};" for url in urls],
        "    keepalive 16;",
        "}",
    ]


def upstream_server(url: str) -> str:
    """`http://127.0.0.1:8000` or `unix:/run/govsite.sock` → an nginx `server` address."""
    if url.startswith("unix:"):
        return url
    parts = urlsplit(url if "://" in url else f"http://{url}")
    if parts.scheme != "http" or not parts.hostname:
        raise ValueError(f"upstream must be http://HOST:PORT or unix:PATH, not {url!r}")
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{host}:{parts.port or 80}"


def listen_lines(listen: str, ipv6: bool, default: bool) -> list[str]:
    suffix = " default_server" if default else ""
    if listen.isdigit():
        lines = [f"listen {listen}{suffix};"]
        if ipv6:
            lines.append(f"listen [::]:{listen}{suffix};")
        return lines
    return [f"listen {listen}{suffix};"]


def header_lines(cache_control: str | None = None, cache_always: bool = False) -> list[str]:
    """add_header lines for a location (nginx drops inherited add_header once a location has any)."""
    lines = [f"add_header {name} {quote(value)} always;" for name, value in security_headers()]
    hsts = hsts_header()
    if hsts:
        lines.append(f"add_header {hsts[0]} {quote(hsts[1])} always;")
    if cache_control:
        value = cache_control if cache_control.startswith("$") else quote(cache_control)
        lines.append(f"add_header Cache-Control {value}{' always' if cache_always else ''};")
    return lines


def types_block() -> list[str]:
    by_type: dict[str, list[str]] = {}
    for ext, ctype in MIME_TYPES.items():
        by_type.setdefault(ctype.split(";")[0], []).append(ext)
    return ["types {", *[f"    {ctype} {' '.join(exts)};" for ctype, exts in by_type.items()], "}"]


def admin_prefixes() -> tuple[str, ...]:
    from govsite.core.middleware import ADMIN_PREFIXES

    return tuple(dict.fromkeys([*ADMIN_PREFIXES, settings.GOVSITE_ADMIN_PREFIX]))


def admin_answer(hostname: str | None) -> str:
    """What a server block does with the admin (内外网分离, accounts.middleware.AdminHostMiddleware):
    a public host of a platform with GOVSITE_ADMIN_HOSTS answers 404 without asking the
    application; with GOVSITE_ADMIN_NETWORKS only those clients are proxied (others get 404)."""
    hosts = settings.GOVSITE_ADMIN_HOSTS
    if hosts and (hostname or "").lower() not in hosts:
        return "return 404;"
    networks = settings.GOVSITE_ADMIN_NETWORKS
    rules = "".join(f"allow {network}; " for network in networks)
    denied = "deny all; error_page 403 =404 /404.html; " if networks else ""
    return f"{rules}{denied}proxy_pass http://govsite_app;"


def prefix_locations(prefix: str, answer: str) -> list[str]:
    lines = [f"location ^~ {prefix} {{ {answer} }}"]
    if prefix.endswith("/") and len(prefix) > 1:
        lines.append(f"location = {prefix.rstrip('/')} {{ {answer} }}")
    return lines


def admin_locations(hostname: str | None, web_node: bool = False) -> list[str]:
    """The admin prefixes' locations, when the admin is restricted (else none: they are proxied).
    A web node in the DMZ never reaches the admin, whatever the settings say."""
    if web_node:
        return [line for prefix in admin_prefixes() for line in prefix_locations(prefix, "return 404;")]
    if not (settings.GOVSITE_ADMIN_HOSTS or settings.GOVSITE_ADMIN_NETWORKS):
        return []
    return [line for prefix in admin_prefixes() for line in prefix_locations(prefix, admin_answer(hostname))]


def health_locations(web_node: bool) -> list[str]:
    """/healthz and /readyz (core/health.py). A web node answers /healthz itself (it serves pages
    with every application node down) and keeps the application's /readyz off the internet: the
    balancer of the application nodes asks them directly on the internal network."""
    if not web_node:
        return [f"location = {path} {{ proxy_pass http://govsite_app; }}" for path in HEALTH_PATHS]
    return [
        f"location = {LIVENESS_PATH} {{",
        "    default_type text/plain;",
        *[f"    {line}" for line in header_lines("no-store", cache_always=True)],
        '    return 200 "ok\\n";',
        "}",
        f"location = {READINESS_PATH} {{ return 404; }}",
    ]


def dynamic_locations(hostname: str | None = None, web_node: bool = False) -> list[str]:
    lines = admin_locations(hostname, web_node)
    restricted = admin_prefixes() if lines else ()
    for prefix in layout.dynamic_prefixes():
        if prefix not in restricted:
            lines += prefix_locations(prefix, "proxy_pass http://govsite_app;")
    return lines + health_locations(web_node)


def admin_host_blocks(sites: list[SiteEntry], listen: str, ipv6: bool, web_node: bool = False) -> list[str]:
    """A server block for each GOVSITE_ADMIN_HOSTS name that is not a site: the whole host goes to
    the application (which still checks the host and GOVSITE_ADMIN_NETWORKS itself). None on a web node."""
    names = {site.hostname for site in sites}
    lines: list[str] = []
    for host in [] if web_node else settings.GOVSITE_ADMIN_HOSTS:
        if host in names or not host or host.startswith("."):
            continue
        lines += [
            f"# {host}（后台，仅内网）",
            "server {",
            *[f"    {line}" for line in listen_lines(listen, ipv6, False)],
            f"    server_name {host};",
            *[f"    allow {network};" for network in settings.GOVSITE_ADMIN_NETWORKS],
            *(["    deny all;"] if settings.GOVSITE_ADMIN_NETWORKS else []),
            "    location / { proxy_pass http://govsite_app; }",
            "}",
            "",
        ]
    return lines


def status_file_maps() -> list[str]:
    """`map`s from $uri to its file and status files, as layout.relative_file and layout.status_file
    name them (a directory address: its index.html)."""
    lines = [
        "    map $uri $govsite_file {",
        f'        "~^(?<govsite_file_d>.*/)$" "${{govsite_file_d}}{layout.INDEX_FILE}";',
        "        default $uri;",
        "    }",
        "    map $uri $govsite_slashless_dir {",
        '        "~/$" "";',
        "        default $document_root$uri;",
        "    }",
    ]
    for variable, suffix in (("gone", layout.GONE_SUFFIX), ("redirect", layout.REDIRECT_SUFFIX)):
        d, n = f"govsite_{variable}_d", f"govsite_{variable}_n"  # captures: the folder, the name
        lines += [
            f"    map $uri $govsite_{variable} {{",
            f'        "~^(?<{d}>.*/)$" "${{{d}}}.{layout.INDEX_FILE}{suffix}";',
            f'        "~^(?<{d}>.*/)(?<{n}>[^/]+)$" "${{{d}}}.${{{n}}}{suffix}";',
            "    }",
        ]
    return lines


def published(site: SiteEntry) -> bool:
    """Served from files (else the application answers every address of the site)."""
    return layout.site_dir(site.hostname).is_dir()


def media_disposition_map() -> list[str]:
    """Uploaded media other than raster images is a download (等保 E9: an SVG, HTML or XML file never
    runs on the public host), as the embedded server's INLINE_MEDIA_EXTENSIONS say."""
    inline = "|".join(INLINE_MEDIA_EXTENSIONS)
    return [
        "    map $uri $govsite_media_disposition {",
        f'        "~*\\.({inline})$" "";',
        f"        default {ATTACHMENT[1]};",
        "    }",
    ]


def server_block(site: SiteEntry, listen: str, ipv6: bool, web_node: bool = False) -> list[str]:
    root = layout.site_dir(site.hostname)
    head = [
        f"# {site.hostname}{'（默认站点）' if site.is_default else ''}",
        "server {",
        *[f"    {line}" for line in listen_lines(listen, ipv6, site.is_default)],
        f"    server_name {site.hostname};",
    ]
    if not published(site):
        # Nothing published yet: the application answers every address until `govsite publish`.
        admin = [
            f"    {line}" for line in admin_locations(site.hostname, web_node) + health_locations(web_node)
        ]
        return [*head, *admin, "    location / { proxy_pass http://govsite_app; }", "}"]
    # nginx adds "; charset=utf-8" to these (text/html is always included, so not listed)
    charset_types = sorted(t for t in COMPRESSIBLE_TYPES if t not in ("text/html", "image/svg+xml"))
    body = [
        f"root {quote(str(root))};",
        "charset utf-8;",
        f"charset_types {' '.join(charset_types)};",
        "absolute_redirect off;",
        "error_page 404 /404.html;",
        "",
        "location / {",
        *[f"    {line}" for line in header_lines(page_cache_control())],
        "    # Forms and other non-GET requests go to the application.",
        "    limit_except GET { proxy_pass http://govsite_app; }",
        "    # /kjdt/mtjj → /kjdt/mtjj/, as Django's APPEND_SLASH does.",
        "    # (tested only without the slash: a matching `if` would replace try_files below)",
        "    if (-d $govsite_slashless_dir) { rewrite ^(.*[^/])$ $1/ permanent; }",
        "    # A directory address is its index.html only: a folder without one is a miss, not a 403.",
        "    try_files $govsite_file @unpublished;",
        "}",
        "# No file: a status file beside it (publishing/layout.py) says withdrawn (410, with the",
        "# notice) or redirected (the application answers with the redirect); else a Wagtail",
        "# redirect from the site's map (publishing/redirects.py); else the 404 page.",
        "# Status files are read per request: a withdrawal needs no reload.",
        "location @unpublished {",
        *[f"    {line}" for line in redirects.nginx_unpublished_lines(site.hostname)],
        "}",
        "error_page 410 $govsite_gone;",
        "location ~ /\\.[^/]+\\.410$ {",
        "    internal;",
        "    types { }",
        "    default_type text/html;",
        *[f"    {line}" for line in header_lines("no-cache", cache_always=True)],
        "}",
        "location = /404.html {",
        "    internal;",
        *[f"    {line}" for line in header_lines("no-cache", cache_always=True)],
        "}",
        "# The 404 page of every version is not an address; .gz twins are sent only through",
        "# gzip_static (Content-Encoding), never as files of their own.",
        "location ~ /404\\.html$ { internal; }",
        "location ~ \\.gz$ { return 404; }",
        "# Dot files (publisher temp files, markers, status files) are never served.",
        "location ~ /\\. { return 404; }",
        "location ^~ /static/ {",
        f"    alias {quote(str(settings.STATIC_ROOT) + '/')};",
        *[f"    {line}" for line in header_lines("$govsite_static_cache")],
        "    try_files $uri =404;",
        "    location ~ \\.gz$ { return 404; }",
        "}",
    ]
    if settings.GOVSITE_SERVE_MEDIA:
        body += [
            "location ^~ /media/ {",
            f"    alias {quote(str(settings.MEDIA_ROOT) + '/')};",
            *[f"    {line}" for line in header_lines(media_cache_control())],
            "    add_header Content-Disposition $govsite_media_disposition always;",
            "    try_files $uri =404;",
            "}",
            *[f"location ^~ /media/{p} {{ return 404; }}" for p in PRIVATE_MEDIA_PREFIXES],
        ]
    body += dynamic_locations(site.hostname, web_node)
    return [*head, *[f"    {line}" if line else "" for line in body], "}"]


def render_config(
    sites: list[SiteEntry],
    listen: str,
    upstream: str | list[str],
    ipv6: bool = True,
    user: str | None = None,
    web_node: bool = False,
) -> str:
    """The whole nginx.conf as text. `web_node`: a DMZ node of several (docs/deployment.md) that
    serves the published tree and sends only the public dynamic addresses to the application nodes
    in `upstream`, never the admin."""
    var = nginx_dir()
    static_immutable = HASHED_STATIC_RE.pattern.replace("(\\.gz)?$", "$")
    lines = [
        "# Generated by `govsite nginx-config`: regenerate after adding a site, do not edit by hand.",
        f"# Run: nginx -c {var / 'nginx.conf'}   (reload: nginx -c … -s reload)",
        *([f"user {user};"] if user else []),
        "worker_processes auto;",
        f"pid {var / 'nginx.pid'};",
        f"error_log {var / 'error.log'} warn;",
        "",
        "events {",
        "    worker_connections 4096;",
        "}",
        "",
        "http {",
        *[f"    {line}" for line in types_block()],
        "    default_type application/octet-stream;",
        f"    access_log {var / 'access.log'} combined buffer=64k flush=5s;",
        f"    client_body_temp_path {var / 'client_body'};",
        f"    proxy_temp_path {var / 'proxy'};",
        f"    fastcgi_temp_path {var / 'fastcgi'};",
        f"    uwsgi_temp_path {var / 'uwsgi'};",
        f"    scgi_temp_path {var / 'scgi'};",
        "    server_tokens off;",
        "    sendfile on;",
        "    tcp_nopush on;",
        "    keepalive_timeout 65;",
        f"    client_max_body_size {max(1, settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)) * 10}m;",
        "    # Publishing replaces files atomically; a changed page is seen within 2 s.",
        "    open_file_cache max=10000 inactive=30s;",
        "    open_file_cache_valid 2s;",
        "",
        "    # Every text file has a precompressed .gz sibling; proxied responses are compressed here.",
        "    gzip_static on;",
        "    gzip on;",
        "    gzip_vary on;",
        "    gzip_proxied any;",
        "    gzip_min_length 256;",
        f"    gzip_types {' '.join(sorted(t for t in COMPRESSIBLE_TYPES if t != 'text/html'))};",
        "",
        *[f"    {line}" for line in redirects.NGINX_MAP_SETTINGS],
        "    map $uri $govsite_static_cache {",
        f'        "~{static_immutable}" {quote(IMMUTABLE_CACHE)};',  # a regex: "$" is its own
        f"        default {quote(page_cache_control())};",
        "    }",
        "",
        "    # The status files of an address (publishing/layout.py): /kjdt/t1.html → /kjdt/.t1.html.410",
        *status_file_maps(),
        *media_disposition_map(),
        "",
        "    # Wagtail redirects of each published site (publishing/redirects.py writes the files;",
        "    # reload nginx after they change: nginx -c … -s reload)",
        *[f"    {line}" for line in redirects.nginx_maps([s.hostname for s in sites if published(s)])],
        "",
        *[f"    {line}" for line in upstream_block(upstream)],
        "    proxy_http_version 1.1;",
        '    proxy_set_header Connection "";',
        "    proxy_set_header Host $host;",
        "    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "    proxy_set_header X-Forwarded-Proto $scheme;",
        "    proxy_set_header X-Forwarded-Host $host;",
        "    proxy_set_header X-Real-IP $remote_addr;",
        "    proxy_read_timeout 60s;",
        "",
    ]
    for site in sites:
        lines += [f"    {line}" if line else "" for line in server_block(site, listen, ipv6, web_node)]
        lines.append("")
    lines += [f"    {line}" if line else "" for line in admin_host_blocks(sites, listen, ipv6, web_node)]
    lines.append("}")
    return "\n".join(lines) + "\n"


def sites_from_database() -> list[SiteEntry]:
    """Every Wagtail Site, the default first; exactly one is marked default_server."""
    from wagtail.models import Site

    entries = [
        SiteEntry(site.hostname.lower(), site.is_default_site)
        for site in Site.objects.order_by("-is_default_site", "hostname")
    ]
    seen: set[str] = set()
    unique = []
    for entry in entries:  # one server block per hostname (Sites may differ only by port)
        if entry.hostname not in seen:
            seen.add(entry.hostname)
            unique.append(entry)
    if unique and not any(e.is_default for e in unique):
        unique[0] = SiteEntry(unique[0].hostname, True)
    return unique


def sites_from_public_dir() -> list[SiteEntry]:
    """The sites of the published tree, for a web node that has no database: each published
    hostname's directory, the default one as the publisher marked it (else the first)."""
    root = layout.public_root()
    names = (
        sorted(p.name.lower() for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
        if root.is_dir()
        else []
    )
    default = read_default_hostname(root)
    if names and default not in names:
        default = names[0]
    names.sort(key=lambda name: name != default)  # the default first, as sites_from_database does
    return [SiteEntry(name, name == default) for name in names]


def prepare_dirs() -> None:
    """nginx creates its temp dirs but not their parent, the pid or the log directory."""
    nginx_dir().mkdir(parents=True, exist_ok=True)
