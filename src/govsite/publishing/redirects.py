"""Wagtail's redirects (wagtail.contrib.redirects) for the published sites: one map per site.

The dynamic application answers a missing address with a Redirect through Wagtail's
RedirectMiddleware, which asks the database on every 404. Published sites are files, so the
publisher writes each site's redirects into its directory, in three small dot files the servers
never send as themselves:

    var/public/<hostname>/.redirects.json         the embedded server (server.py) reads it
    var/public/<hostname>/.redirects-path.nginx   `map $uri …` entries (path-only redirects)
    var/public/<hostname>/.redirects-query.nginx  `map "$uri?$args" …` entries (with a query)

A map is written by every full rebuild of the site (jobs.rebuild_site) and, through
signal_handlers, whenever a redirect is created, changed or deleted, or a page that
redirects point to changes its address or visibility: then only the map is written, not the site.

A redirect to a page follows the page's current address; one whose page the public cannot open
(content.visibility.public_pages: THE rule) is left out and reported, as are targets a server
cannot send (no target, a line break).

Lookups follow Wagtail's middleware (`lookup`): the path with its query string (parameters sorted,
as Redirect.normalise_path stores them) first, then the path alone; a trailing slash does not
matter; a site's own redirect wins over an "all sites" one. Only a miss (no file, no status file)
is looked up: as in the application, an address that answers keeps answering.
"""

import itertools
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

from django.utils.encoding import escape_uri_path, uri_to_iri
from wagtail.models import Page, Site

from govsite.content.visibility import public_pages

from .layout import site_dir
from .publisher import write_atomically
from .signals import files_changed

logger = logging.getLogger("govsite.publishing")

MAP_FILE = ".redirects.json"
NGINX_PATH_MAP = ".redirects-path.nginx"
NGINX_QUERY_MAP = ".redirects-query.nginx"
# Characters a Location keeps as they are (the rest is percent-encoded): the embedded server's too.
LOCATION_SAFE = "/?=&%:+,;~-_.!*'()@#"
# nginx hashes map keys in buckets of this size: a longer key cannot be served by nginx.
NGINX_MAP_BUCKET = 1024
NGINX_MAX_KEY_BYTES = NGINX_MAP_BUCKET - 64
# Query parameters are sorted in the map (as Wagtail stores them); nginx cannot sort a request's, so
# a redirect with up to this many parameters is written in every order.
NGINX_PERMUTED_PARAMETERS = 3

RedirectMap = dict[str, tuple[int, str]]


@dataclass
class MapReport:
    """What a site's redirect map holds and what was left out of it (old path, reason)."""

    hostname: str
    redirects: int = 0
    dropped: list[tuple[str, str]] = field(default_factory=list)
    changed: bool = False

    def __str__(self) -> str:
        return f"{self.hostname}：重定向 {self.redirects} 条，未发布 {len(self.dropped)} 条"


def encode_location(location: str) -> str:
    """A Location header value: non-ASCII and spaces percent-encoded (never a "$" or a line break)."""
    return quote(location, safe=LOCATION_SAFE)


def _page_link(redirect: Any, site: Site) -> str | None:
    """Redirect.link for a page target, relative on the page's own site (absolute elsewhere)."""
    page = redirect.redirect_page.specific_deferred
    base: str | None = page.relative_url(site)
    if base is None or not redirect.redirect_page_route_path:
        return base
    try:
        page.resolve_subpage(redirect.redirect_page_route_path)
    except Exception:  # Wagtail's own fallback (AttributeError, Resolver404): the page itself
        return base
    return str(base.rstrip("/") + redirect.redirect_page_route_path)


def site_redirects(site: Site) -> tuple[RedirectMap, list[tuple[str, str]]]:
    """The redirects that answer on `site` (old path → status, Location) and those left out."""
    from wagtail.contrib.redirects.models import Redirect

    rows = list(Redirect.get_for_site(site).select_related("redirect_page").order_by("old_path"))
    rows.sort(key=lambda row: row.site_id is not None)  # all sites first: a site's own replaces it
    page_ids = {row.redirect_page_id for row in rows if row.redirect_page_id}
    public_ids = set(public_pages(Page.objects.filter(pk__in=page_ids)).values_list("pk", flat=True))
    mapping: RedirectMap = {}
    dropped: list[tuple[str, str]] = []
    for row in rows:
        if row.redirect_page_id:
            link = _page_link(row, site) if row.redirect_page_id in public_ids else None
            reason = "目标页面未公开"
        else:
            link, reason = row.redirect_link or None, "没有目标地址"
        if link and ("\n" in link or "\r" in link):
            link, reason = None, "目标地址无效"
        if not link:
            dropped.append((row.old_path, reason))
            mapping.pop(row.old_path, None)  # a site's own redirect without target hides the global one
            continue
        mapping[row.old_path] = (301 if row.is_permanent else 302, encode_location(link))
    return mapping, dropped


# --- nginx map entries ---------------------------------------------------------------------------
def nginx_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _query_keys(old_path: str) -> list[str]:
    """The `$uri?$args` values a redirect with a query answers: nginx's $args is as sent (encoded),
    in the order sent."""
    path, _, query = old_path.partition("?")
    parameters = query.split("&")
    orders = (
        itertools.permutations(parameters)
        if len(parameters) <= NGINX_PERMUTED_PARAMETERS
        else iter([parameters])
    )
    keys: list[str] = []
    for order in orders:
        joined = "&".join(order)
        keys += [f"{path}?{joined}", f"{path}?{quote(joined, safe='=&%+')}"]
    return list(dict.fromkeys(keys))


def nginx_entries(mapping: RedirectMap) -> tuple[str, str]:
    """The bodies of the path map and the query map (`"key" "301 /target";` lines)."""
    by_path: dict[str, str] = {}
    by_query: dict[str, str] = {}
    for old_path, (status, location) in mapping.items():
        value = f"{status} {location}"
        if "?" in old_path:
            for key in _query_keys(old_path):
                by_query.setdefault(key, value)
        else:  # "/old" answers "/old/" too, as Redirect.normalise_path strips the slash
            for key in (old_path, old_path.rstrip("/") + "/"):
                by_path.setdefault(key, value)

    def lines(entries: dict[str, str]) -> str:
        kept = (
            f"{nginx_string(key)} {nginx_string(value)};\n"
            for key, value in sorted(entries.items())
            if len(key.encode()) <= NGINX_MAX_KEY_BYTES
        )
        return "# Generated by govsite (publishing/redirects.py): do not edit.\n" + "".join(kept)

    return lines(by_path), lines(by_query)


def nginx_variable(hostname: str) -> str:
    """The nginx variable holding a site's redirect of the current address ("301 /new/" or "")."""
    return "$govsite_moved_" + hostname.replace("-", "__").replace(".", "_")


# Before the first `map` of the http block (the first one fixes the hash sizes of all).
NGINX_MAP_SETTINGS = [f"map_hash_bucket_size {NGINX_MAP_BUCKET};", "map_hash_max_size 262144;"]


def nginx_maps(hostnames: list[str]) -> list[str]:
    """The `map` blocks (http level) of the sites whose map files these are."""
    lines: list[str] = []
    for hostname in hostnames:
        root, variable = site_dir(hostname), nginx_variable(hostname)
        # The last letter as a one-letter glob ("[x]"): nginx accepts a pattern that matches nothing,
        # so a site whose maps are not written yet (published by hand, restored) still starts.
        path_map, query_map = (
            str(root / name)[:-1] + f"[{name[-1]}]" for name in (NGINX_PATH_MAP, NGINX_QUERY_MAP)
        )
        lines += [
            f"map $uri {variable}_path {{",
            f'    include "{path_map}";',
            "}",
            f'map "$uri?$args" {variable} {{',
            f"    default {variable}_path;",
            f'    include "{query_map}";',
            "}",
        ]
    return lines


def nginx_unpublished_lines(hostname: str) -> list[str]:
    """The body of a server's `location @unpublished`: 410, the address's own redirect file (through
    the application), a Wagtail redirect from the map, else 404."""
    return [
        "if (-f $document_root$govsite_gone) { return 410; }",
        f"set $govsite_moved {nginx_variable(hostname)};",
        'if (-f $document_root$govsite_redirect) { set $govsite_moved "app"; }',
        'if ($govsite_moved ~ "^301 (.+)$") { return 301 $1; }',
        'if ($govsite_moved ~ "^302 (.+)$") { return 302 $1; }',
        'if ($govsite_moved = "") { return 404; }',
        "proxy_pass http://govsite_app;",
    ]


# --- writing and reading ----------------------------------------------------------------------
def write_map_files(root: Path, mapping: RedirectMap) -> bool:
    """Write the three files of a map; True if any changed."""
    path_map, query_map = nginx_entries(mapping)
    body = json.dumps({"redirects": mapping}, ensure_ascii=False, sort_keys=True, indent=0)
    changed = write_atomically(root / MAP_FILE, body.encode())
    changed |= write_atomically(root / NGINX_PATH_MAP, path_map.encode())
    changed |= write_atomically(root / NGINX_QUERY_MAP, query_map.encode())
    return changed


def write_redirect_map(site: Site, create: bool = False) -> MapReport:
    """Write the site's redirect map into its published directory.

    A site not published yet is served by the application (which has the redirects): no directory
    is created for it, unless `create` (nginx-config needs the files it includes)."""
    report = MapReport(site.hostname)
    root = site_dir(site.hostname)
    if not root.is_dir() and not create:
        return report
    root.mkdir(parents=True, exist_ok=True)
    mapping, report.dropped = site_redirects(site)
    report.redirects = len(mapping)
    report.changed = write_map_files(root, mapping)
    if report.changed:
        files_changed.send(sender=MapReport, site=site, paths=[MAP_FILE, NGINX_PATH_MAP, NGINX_QUERY_MAP])
    for old_path, reason in report.dropped:
        logger.warning("Redirect %s%s not published: %s", site.hostname, old_path, reason)
    return report


def write_all_redirect_maps(sites: list[Site] | None = None) -> list[MapReport]:
    return [write_redirect_map(site) for site in (sites if sites is not None else Site.objects.all())]


def read_map(root: Path) -> RedirectMap:
    """The map of a published site directory ({} when there is none or it is unreadable)."""
    try:
        data = json.loads((root / MAP_FILE).read_text(encoding="utf-8"))
        return {str(k): (int(v[0]), str(v[1])) for k, v in data["redirects"].items()}
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return {}


class MapCache:
    """The embedded server's maps: each read once, read again when its file changes (one stat per
    missing address; no database)."""

    def __init__(self) -> None:
        self._maps: dict[Path, tuple[tuple[int, int, int], RedirectMap]] = {}

    def get(self, root: Path) -> RedirectMap:
        try:
            st = os.stat(root / MAP_FILE)
            stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        except OSError:
            return {}
        cached = self._maps.get(root)
        if cached is None or cached[0] != stamp:
            if len(self._maps) > 1024:
                self._maps.clear()
            cached = self._maps[root] = (stamp, read_map(root))
        return cached[1]


def lookup(mapping: RedirectMap, path: str, query: str) -> tuple[int, str] | None:
    """The redirect of a decoded request path and its raw query string, as Wagtail's
    RedirectMiddleware finds it: the full path (decoded, then as sent), then the path alone."""
    if not mapping or "\x00" in path:
        return None
    from wagtail.contrib.redirects.models import Redirect

    full = escape_uri_path(path) + (f"?{query}" if query else "")
    normalised = Redirect.normalise_path(full, decode_unicode=False)
    without_query = urlparse(normalised).path
    for candidate in (normalised, without_query):
        for key in (uri_to_iri(candidate), candidate):
            if key in mapping:
                return mapping[key]
    return None
