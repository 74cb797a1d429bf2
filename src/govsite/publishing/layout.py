"""Where published files live: one directory per site hostname, one file per public address.

    var/public/<hostname>/index.html              /
    var/public/<hostname>/kjdt/mtjj/index.html    /kjdt/mtjj/
    var/public/<hostname>/kjdt/mtjj/index_3.html  /kjdt/mtjj/index_3.html
    var/public/<hostname>/elder/kjdt/index.html   /elder/kjdt/   (长辈版)
    var/public/<hostname>/404.html                any missing address
    …and a .gz beside every text file, for nginx's gzip_static and the embedded server.

nginx, the embedded file server and the publisher all use these functions, so they cannot disagree.
"""

from pathlib import Path, PurePosixPath

from django.conf import settings

from govsite.versions.registry import split_version

NOT_FOUND_FILE = "404.html"
INDEX_FILE = "index.html"


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


def is_dynamic(url_path: str) -> bool:
    """Addresses always answered by the application (admin, search, forms, documents …), in every
    version too: Django routes /elder/search/ to the search page as it does /search/."""
    prefixes = tuple(settings.GOVSITE_DYNAMIC_PREFIXES)
    return url_path.startswith(prefixes) or split_version(url_path)[1].startswith(prefixes)
