"""Reading one saved page of a legacy site: what kind of page it is and, for an article, its fields.

The interface the importer builds on (`legacy.importer`): `extract_page(raw, url)` takes the page's bytes
as saved (any encoding) and its old address, and never raises on bad input: a page it cannot use comes
back as a `Rejected` with the reason, which the import report shows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Asset:
    """An image or attachment the body links to: its absolute old address and the text of its link."""

    url: str
    title: str = ""
    is_image: bool = False


@dataclass(frozen=True)
class ExtractedPage:
    """An article page of the old site, its body cleaned to the editor's allowed HTML."""

    url: str
    title: str
    pub_date: datetime.datetime | None  # local time as the page shows it; a date alone is 00:00
    source: str = ""  # 来源
    author: str = ""
    body_html: str = ""  # cleaned: no scripts, styles, fonts, empty paragraphs; tables kept; links absolute
    assets: tuple[Asset, ...] = ()
    index_number: str = ""  # 索引号
    document_number: str = ""  # 文号
    issuing_body: str = ""  # 发文机关
    breadcrumbs: tuple[str, ...] = ()  # the old site's column trail, outermost first, when the page shows one
    encoding: str = "utf-8"  # what the page was decoded as
    method: str = "meta"  # how the fields were found: "meta", "layout:<family>" or "general"
    warnings: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Rejected:
    """A page that is not an article (a list, the old site's 404 page, empty, too large, unreadable)."""

    url: str
    reason: str  # Chinese, shown in the import report


def extract_page(raw: bytes, url: str) -> ExtractedPage | Rejected:
    """Decode, classify and extract one saved page; see the module docstring."""
    raise NotImplementedError
