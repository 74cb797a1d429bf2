"""The alternate renderings of every public page, each addressed by a URL prefix.

A prefix (not a cookie or a query string) keeps every version a plain file that static
publishing can write, and that a reader can share and bookmark.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Version:
    key: str
    label: str
    prefix: str  # "" or "/elder": no trailing slash
    stylesheet: str = ""
    # 适老化: nothing moves by itself (no carousel) and no link leaves the site without its notice page.
    calm: bool = False


STANDARD = Version("standard", "标准版", "")
ELDER = Version("elder", "长辈版", "/elder", "govsite/css/elder.css", calm=True)
VERSIONS: tuple[Version, ...] = (STANDARD, ELDER)


def split_version(path: str) -> tuple[Version, str]:
    """Return the version a path asks for and the path without its prefix."""
    for version in VERSIONS:
        if version.prefix and (path == version.prefix or path.startswith(version.prefix + "/")):
            return version, path[len(version.prefix) :] or "/"
    return STANDARD, path


def versioned_url(url: str, version: Version) -> str:
    """Keep a reader in their version when following a link on this site."""
    if version.prefix and url.startswith("/") and not url.startswith("//"):
        return version.prefix + url
    return url
