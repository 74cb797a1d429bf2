"""Reading one saved page of a legacy site: what kind of page it is and, for an article, its fields.

The interface the importer builds on (`legacy.importer`): `extract_page(raw, url)` takes the page's bytes
as saved (any encoding) and its old address, and never raises on bad input: a page it cannot use comes
back as a `Rejected` with the reason, which the import report shows.
"""

from __future__ import annotations

import datetime
import itertools
import logging
import re
from collections.abc import Iterator

from django.conf import settings
from lxml import etree
from lxml.html import HtmlElement, HTMLParser

from . import layouts
from .clean import clean_body
from .encoding import decode_html
from .records import Asset, ExtractedPage, Rejected

__all__ = ["Asset", "ExtractedPage", "Rejected", "extract_page"]

DEFAULT_MAX_PAGE_BYTES = 5 * 1024 * 1024
# Magic numbers of files a mirror saves under .html names (a PDF served by a download script, …).
BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"Rar!")
ERROR_MARKERS = (
    "页面不存在",
    "您访问的页面",
    "您所访问的页面",
    "找不到页面",
    "页面已删除",
    "页面未找到",
    "404",
    "not found",
)
# An error page is short; an article that mentions 404 in its text is not one.
ERROR_PAGE_MAX_CHARS = 600
ERROR_PAGE_MAX_SOURCE = 40_000
LIST_MIN_LINKS = 15
LIST_LINK_DENSITY = 0.5
MIN_BODY_CHARS = 10
PARSER = HTMLParser(encoding="utf-8", remove_blank_text=False, remove_comments=False)
TAG_RE = re.compile(r"<[^>]*>")
XML_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*>")
# Characters an XML/HTML tree cannot hold (control characters, lone surrogates, non-characters): old
# pages carry them from pasted Word text; a browser ignores them, so do we.
UNUSABLE_CHARS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
logger = logging.getLogger(__name__)


def max_page_bytes() -> int:
    return int(getattr(settings, "GOVSITE_IMPORT_MAX_PAGE_BYTES", DEFAULT_MAX_PAGE_BYTES))


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def parse(text: str) -> HtmlElement | None:
    """lxml's recovering parser: broken HTML gives a tree, only an empty document gives None."""
    try:
        source = UNUSABLE_CHARS_RE.sub("", XML_DECLARATION_RE.sub("", text))
        root = etree.fromstring(source.encode("utf-8"), PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    return root if isinstance(root, HtmlElement) else None


def unreadable(raw: bytes, url: str) -> Rejected | None:
    """The checks before decoding: size, emptiness, binary content."""
    if len(raw) > max_page_bytes():
        return Rejected(url, f"页面过大（{megabytes(len(raw))}，上限 {megabytes(max_page_bytes())}），未导入")
    if not raw.strip():
        return Rejected(url, "空页面，没有内容")
    if raw.lstrip().startswith(BINARY_MAGIC) or (
        b"\x00" in raw[:2048] and not raw.startswith((b"\xff\xfe", b"\xfe\xff"))
    ):
        return Rejected(url, "不是网页（二进制文件）")
    return None


def error_marker(root: HtmlElement, source: str) -> str:
    """The error text of the old site's 404/error page, or "" for any other page."""
    lowered = source.lower()
    markers = [marker for marker in ERROR_MARKERS if marker in lowered]
    if not markers:  # the usual case, found without reading the tree
        return ""
    title = root.find(".//title")
    title_text = layouts.text_of(title).lower() if title is not None else ""
    text = ""
    if len(source) <= ERROR_PAGE_MAX_SOURCE:  # a long page is not an error page: skip reading it
        body = root.find(".//body")
        text = layouts.text_of(body if body is not None else root).lower()
        text = text if len(text.replace(" ", "")) <= ERROR_PAGE_MAX_CHARS else ""
    return next((marker for marker in markers if marker in title_text or marker in text), "")


def extract_page(raw: bytes, url: str) -> ExtractedPage | Rejected:
    """Decode, classify and extract one saved page; see the module docstring."""
    rejected = unreadable(raw, url)
    if rejected:
        return rejected
    decoded = decode_html(raw)
    if decoded is None:
        return Rejected(url, "无法识别页面编码（不是可读的文本）")
    try:
        return Reader(decoded.text, url).read(decoded.encoding, decoded.warning)
    except RecursionError:
        return Rejected(url, "页面结构嵌套过深，无法解析")
    except Exception:
        # The importer runs over thousands of pages: one page that trips an unforeseen case is reported
        # (and logged with its traceback, to be fixed here), never the end of the run.
        logger.exception("Legacy page %s could not be extracted", url)
        return Rejected(url, "页面解析出错（已记入日志），未导入")


class Regions:
    """Where labelled fields are looked for, nearest first: the heading lines taken out of the body, the
    body's ancestors (up to three levels), then the whole page. The body is taken out of the tree first:
    an article that quotes "来源：" or a date in its text must not feed its own fields. Read lazily: most
    fields are found in the first."""

    LEVELS = 3

    def __init__(self, root: HtmlElement, body: HtmlElement, header: str = "") -> None:
        self.root = root
        self.header = header
        self.ancestors = list(itertools.islice(body.iterancestors(), self.LEVELS))
        if self.ancestors:
            body.drop_tree()  # its tail text stays in the tree
        self.texts: dict[int, str] = {}

    def page(self) -> str:
        if -1 not in self.texts:
            page = self.root.find("body")
            self.texts[-1] = layouts.text_of(page if page is not None else self.root)
        return self.texts[-1]

    def __iter__(self) -> Iterator[str]:
        if self.header:
            yield self.header
        for level, ancestor in enumerate(self.ancestors):
            if level not in self.texts:
                self.texts[level] = layouts.text_of(ancestor)
            yield self.texts[level]
        yield self.page()


class Reader:
    """One decoded page: finds the body first (it bounds where the labelled fields are looked for)."""

    def __init__(self, text: str, url: str) -> None:
        self.text = text
        self.url = url
        self.warnings: list[str] = []
        self.regions: Regions | None = None

    def read(self, encoding: str, warning: str) -> ExtractedPage | Rejected:
        if warning:
            self.warnings.append(warning)
        hanweb = layouts.hanweb_fields(self.text)
        hanweb_body = layouts.hanweb_content(self.text)
        root = parse(self.text)
        if root is None:
            return Rejected(self.url, "页面无法解析（不是 HTML）")
        etree.strip_elements(root, "script", "style", "noscript", with_tail=False)
        marker = error_marker(root, self.text)
        if marker:
            return Rejected(self.url, f"旧站的错误页（含“{marker}”），不是文章")
        meta = layouts.meta_tags(root)
        is_article = bool(meta.get("articletitle"))
        found = layouts.index(root)
        family, body = self.body(root, found, hanweb_body)
        if body is None or (not is_article and self.looks_like_list(body, family)):
            links = len(root.findall(".//a"))
            if links >= LIST_MIN_LINKS:
                return Rejected(self.url, f"列表页（{links} 个链接，没有文章正文）")
            return Rejected(self.url, "页面没有正文")
        title = self.title(root, found, meta, hanweb)
        crumbs = layouts.breadcrumbs(root, found, title) or self.column(meta)
        info = layouts.info_cells(root)
        attachments = layouts.attachment_blocks(body)
        header = layouts.split_header(body, title)
        body_html, assets = clean_body([body, *attachments], self.url)
        if len(TAG_RE.sub("", body_html).strip()) < MIN_BODY_CHARS and not assets:
            return Rejected(self.url, "页面没有正文")
        # A Hanweb body read from its markers is a copy: the tree still holds it in the template's container.
        in_tree = body
        if body.getparent() is None:
            container = layouts.named_container(found)
            in_tree = container.element if container is not None else body
        self.regions = Regions(root, in_tree, header)  # from here on the tree is without the body
        info = {**layouts.info_inline(self.regions.page()), **info}
        written = layouts.parse_date(info.get("written_date", ""))
        return ExtractedPage(
            url=self.url,
            title=title,
            pub_date=self.pub_date(meta, hanweb, info),
            source=meta.get("contentsource")
            or self.hanweb_text(hanweb, "信息来源")
            or self.find(layouts.SOURCE_RE),
            author=meta.get("author") or self.hanweb_text(hanweb, "作者") or self.find(layouts.AUTHOR_RE),
            body_html=body_html,
            assets=assets,
            index_number=info.get("index_number", ""),
            document_number=info.get("document_number", ""),
            issuing_body=info.get("issuing_body", ""),
            breadcrumbs=crumbs,
            encoding=encoding,
            method="meta" if is_article else ("general" if family == "general" else f"layout:{family}"),
            warnings=tuple(self.warnings),
            written_date=written.date() if written else None,
            keywords=meta.get("keywords", ""),
            column_name=meta.get("columnname", ""),
        )

    def body(
        self, root: HtmlElement, found: layouts.Index, hanweb_body: HtmlElement | None
    ) -> tuple[str, HtmlElement | None]:
        if hanweb_body is not None and layouts.text_of(hanweb_body):
            return "hanweb", hanweb_body
        container = layouts.named_container(found)
        if container is not None:
            return container.family, container.element
        return "general", layouts.general_container(root)

    @staticmethod
    def looks_like_list(body: HtmlElement, family: str) -> bool:
        """Mostly link text; in a named container (a list page's `#content`) also many links."""
        if family != "general" and len(body.findall(".//a")) < LIST_MIN_LINKS:
            return False
        return layouts.link_density(body) >= LIST_LINK_DENSITY

    def find(self, pattern: re.Pattern[str]) -> str:
        for region in self.regions or ():
            value = layouts.labelled(pattern, region)
            if value:
                return value
        return ""

    @staticmethod
    def hanweb_text(hanweb: dict[str, str], name: str) -> str:
        html = hanweb.get(name, "")
        element = layouts.fragment(html) if html.strip() else None
        return layouts.text_of(element) if element is not None else ""

    @staticmethod
    def column(meta: dict[str, str]) -> tuple[str, ...]:
        return (meta["columnname"],) if meta.get("columnname") else ()

    def title(
        self, root: HtmlElement, found: layouts.Index, meta: dict[str, str], hanweb: dict[str, str]
    ) -> str:
        title = (
            meta.get("articletitle")
            or self.hanweb_text(hanweb, "标题名称")
            or layouts.page_title(root, found)
        )
        if not title:
            self.warnings.append("未找到标题")
        return title

    def pub_date(
        self, meta: dict[str, str], hanweb: dict[str, str], info: dict[str, str]
    ) -> datetime.datetime | None:
        for text in (meta.get("pubdate", ""), self.hanweb_text(hanweb, "发布日期"), info.get("pub_date", "")):
            found = layouts.parse_date(text)
            if found:
                return found
        for region in self.regions or ():
            found = layouts.labelled_date(region)
            if found:
                return found
        found = layouts.url_date(self.url)
        self.warnings.append("页面上没有发布日期，取自旧地址" if found else "未找到发布日期")
        return found
