"""The results of reading one legacy page (see `extract.py`, which re-exports them)."""

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
    written_date: datetime.date | None = None  # 成文日期 of a 信息公开 page
    keywords: str = ""  # the Keywords meta tag
    column_name: str = ""  # the ColumnName meta tag


@dataclass(frozen=True)
class Rejected:
    """A page that is not an article (a list, the old site's 404 page, empty, too large, unreadable)."""

    url: str
    reason: str  # Chinese, shown in the import report
