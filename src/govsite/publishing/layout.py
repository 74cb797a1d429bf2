"""Where published files live: one directory per site hostname, one file per public address.

    var/public/<hostname>/index.html              /
    var/public/<hostname>/kjdt/mtjj/index.html    /kjdt/mtjj/
    var/public/<hostname>/kjdt/mtjj/index_3.html  /kjdt/mtjj/index_3.html
    var/public/<hostname>/elder/kjdt/index.html   /elder/kjdt/   (长辈版)
    var/public/<hostname>/404.html                any missing address
    var/public/<hostname>/kjdt/.t1.html.410       /kjdt/t1.html answers 410 with this body (撤稿)
    var/public/<hostname>/kjdt/.t2.html.redirect  /kjdt/t2.html redirects (the status and Location inside)
    …and a .gz beside every text file, for nginx's gzip_static and the embedded server.

An address that does not answer 200 has no file at its own name, only a dot-named status file
beside it: a server that knows nothing of status files answers 404 for it, never a wrong 200, and
looking for a status file costs nothing on the path of a found page (it is checked only on a miss).

nginx, the embedded file server and the publisher all use these functions, so they cannot disagree.
"""

import os
import threading
from pathlib import Path, PurePosixPath

from django.conf import settings

NOT_FOUND_FILE = "404.html"
INDEX_FILE = "index.html"
# Status files (dot-named, so never served as themselves): an address's answer when it is not 200.
GONE_SUFFIX = ".410"
REDIRECT_SUFFIX = ".redirect"
STATUS_SUFFIXES = (GONE_SUFFIX, REDIRECT_SUFFIX)
# A file being written: dot-named beside its target, renamed over it when complete. Never served,
# never delivered to a web node (rsync's --exclude takes the glob).
TEMPORARY_SUFFIX = ".tmp"
TEMPORARY_GLOB = ".*" + TEMPORARY_SUFFIX


def temporary_file(target: Path) -> Path:
    """Where `target`'s next version is written before it is renamed over it (one per process and
    thread, so two writers never share one)."""
    return target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}{TEMPORARY_SUFFIX}")


def is_temporary(name: str) -> bool:
    """True for a file caught between its write and its rename (see temporary_file)."""
    return name.startswith(".") and name.endswith(TEMPORARY_SUFFIX)


def public_root() -> Path:
    return Path(settings.GOVSITE_PUBLIC_DIR)


def site_dir(hostname: str) -> Path:
    return public_root() / hostname


def relative_file(url_path: str) -> str | None:
    """The file (relative to the site dir) that holds a URL path, or None if it cannot be a file.

    Directory addresses end in "/" and are stored as index.html; anything that tries to leave the
    site directory ("..", NUL, backslashes) maps to nothing.
    """
    if not url_path.startswith("/") or "\x00" in url_path or "\\" in url_path:
        return None
    parts = PurePosixPath(url_path).parts[1:]
    if any(part in ("..", ".") or part.startswith(".") for part in parts):
        return None
    rel = "/".join(parts)
    if url_path.endswith("/") or not rel:
        rel = f"{rel}/{INDEX_FILE}" if rel else INDEX_FILE
    return rel


def status_file(rel: str, suffix: str) -> str:
    """The status file of an address's file: kjdt/t1.html → kjdt/.t1.html.410."""
    folder, _, name = rel.rpartition("/")
    return f"{folder}/.{name}{suffix}" if folder else f".{name}{suffix}"


def file_of_status_file(rel: str) -> str | None:
    """The address file a status file stands for (kjdt/.t1.html.410 → kjdt/t1.html), else None."""
    folder, _, name = rel.rpartition("/")
    for suffix in STATUS_SUFFIXES:
        if name.startswith(".") and name.endswith(suffix) and len(name) > len(suffix) + 1:
            base = name[1 : -len(suffix)]
            return f"{folder}/{base}" if folder else base
    return None


def dynamic_prefixes() -> tuple[str, ...]:
    """GOVSITE_DYNAMIC_PREFIXES, plus each of GOVSITE_VERSIONED_DYNAMIC_PREFIXES under every version
    prefix (/elder/search/): the 长辈版 search form posts there, and VersionPrefixMiddleware routes it
    to the same view. Only the listed ones: /elder/admin/ stays a (missing) file, not the admin."""
    from govsite.versions.registry import VERSIONS

    prefixes = list(settings.GOVSITE_DYNAMIC_PREFIXES)
    for prefix in getattr(settings, "GOVSITE_VERSIONED_DYNAMIC_PREFIXES", ()):
        prefixes += [version.prefix + prefix for version in VERSIONS if version.prefix]
    return tuple(dict.fromkeys(prefixes))


def is_dynamic(url_path: str) -> bool:
    """Addresses always answered by the application (admin, search, forms, documents …)."""
    return url_path.startswith(dynamic_prefixes())
