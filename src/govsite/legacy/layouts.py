"""Where the fields of an old article page are: the standard meta tags, the layouts of the common legacy
CMSs (TRS WCM, 大汉 Hanweb, 开普云 and hand-made templates), and a general main-content finder.

All functions are pure: a parsed tree (or the decoded text) in, strings out. `extract.py` decides the
order and what counts as a page.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree
from lxml.html import HtmlElement, fragment_fromstring

DATE = (
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s*(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2}))?)?"
)
DATE_RE = re.compile(DATE)
# "发布时间：" and its variants; not 成文日期/生成日期/印发日期 (the document's own dates).
DATE_LABEL_RE = re.compile(
    r"(?<!成文)(?<!生成)(?<!印发)(?<!施行)(?<!废止)"
    r"(?:发布时间|发布日期|发文日期|信息时间|更新时间|日期|时间)\s*[:：]?\s*" + DATE
)
# A value is one run without spaces (Chinese names have none); `++` so that an empty label followed by
# the next label ("来源： 发布时间：…") gives nothing rather than part of that label.
SOURCE_RE = re.compile(r"(?:信息来源|文章来源|稿件来源|来源)\s*[:：]\s*([^\s|｜【】\[\]:：]++)(?![:：])")
AUTHOR_RE = re.compile(r"(?<!责任)(?:作者|撰稿人?|供稿人?)\s*[:：]\s*([^\s|｜【】\[\]:：]++)(?![:：])")
# 信息公开 pages: a table (or list) of labelled cells above the text.
INFO_LABELS = {
    "索引号": "index_number",
    "文号": "document_number",
    "发文字号": "document_number",
    "文件编号": "document_number",
    "发文机关": "issuing_body",
    "发布机构": "issuing_body",
    "发文单位": "issuing_body",
    "发布单位": "issuing_body",
    "成文日期": "written_date",
    "发布日期": "pub_date",
    "公开日期": "pub_date",
    "标题": "title",
    "名称": "title",
    "文件名称": "title",
}
INFO_INLINE_RE = re.compile(
    r"(索引号|发文字号|文件编号|文号|发文机关|发布机构|成文日期)\s*[:：]\s*([^\s|｜:：]++)(?![:：])"
)
# Hanweb templates leave their field markers in the page: <!--<$[标题名称]>begin-->…<!--<$[标题名称]>end-->.
HANWEB_FIELD_RE = re.compile(r"<!--<\$\[([^\]]+)\]>begin-->(.*?)<!--<\$\[\1\]>end-->", re.S)
HANWEB_CONTENT_RE = re.compile(
    r"<meta\s+name=[\"']?ContentStart[\"']?\s*/?>(.*?)<meta\s+name=[\"']?ContentEnd[\"']?\s*/?>", re.S | re.I
)
HANWEB_URL_RE = re.compile(r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html?$")
TRS_URL_RE = re.compile(r"/(\d{6})/t(\d{8})_\d+\.s?html?$")
# 当前位置 / 您现在的位置 / 您所在的位置 / 当前所在位置 / 您的当前位置 / 位置
BREADCRUMB_LEAD_RE = re.compile(r"^\s*您?(?:的)?(?:现在|当前|目前)?的?(?:所在的?)?位置\s*[:：]?\s*")
BREADCRUMB_SPLIT_RE = re.compile(r"\s*(?:>>|>|»|＞|→|›|/)\s*|\s+-\s+")
HOME_NAMES = {"首页", "网站首页", "主页", "返回首页"}
TITLE_SUFFIX_RE = re.compile(r"\s*(?:[_|｜—]|\s-\s).*$")


@dataclass(frozen=True)
class Index:
    """The page's elements by class token and by id, in document order: built once per page with one
    XPath (a dozen `contains(@class)` scans cost more than the whole rest of the extraction)."""

    by_class: dict[str, list[HtmlElement]]
    by_id: dict[str, list[HtmlElement]]

    def find(self, finder: tuple[str, str]) -> list[HtmlElement]:
        kind, value = finder
        return (self.by_class if kind == "class" else self.by_id).get(value, [])


CLASS_OR_ID = etree.XPath("//*[@class or @id]")


def index(root: HtmlElement) -> Index:
    by_class: dict[str, list[HtmlElement]] = {}
    by_id: dict[str, list[HtmlElement]] = {}
    for element in CLASS_OR_ID(root):
        for token in (element.get("class") or "").split():
            by_class.setdefault(token, []).append(element)
        identifier = (element.get("id") or "").strip()
        if identifier:
            by_id.setdefault(identifier, []).append(element)
    return Index(by_class, by_id)


# Named body containers of the legacy CMSs, most specific first: (family, (class|id, name)).
CONTAINERS: tuple[tuple[str, tuple[str, str]], ...] = (
    ("trs", ("class", "TRS_Editor")),
    ("trs", ("class", "TRS_UEDITOR")),
    ("trs", ("class", "trs_editor_view")),
    ("ucap", ("id", "UCAP-CONTENT")),
    ("hanweb", ("id", "zoom")),
    ("hanweb", ("class", "bt_content")),
    ("common", ("class", "article-content")),
    ("common", ("class", "article-body")),
    ("common", ("class", "pages_content")),
    ("common", ("id", "article-content")),
    ("common", ("class", "content_text")),
    ("common", ("id", "content")),
)
TITLE_FINDERS = (("class", "article-title"), ("class", "title"), ("id", "title"), ("class", "bt"))
# Text nodes that mention 位置 (the scan stays in C); their element is checked for the lead.
BREADCRUMB_TEXTS = etree.XPath("//text()[contains(., '位置')]/parent::*")
BREADCRUMB_TAGS = {"div", "td", "span", "p", "nav", "li"}
BREADCRUMB_FINDERS = (
    ("class", "breadcrumb"),
    ("class", "position"),
    ("class", "location"),
    ("class", "crumbs"),
    ("class", "dqwz"),
    ("class", "bread"),
    ("id", "position"),
)


def squash(text: str) -> str:
    """Runs of whitespace (\u3000 and \xa0 included: str.split knows them) as one space."""
    return " ".join((text or "").split())


def has_text(element: HtmlElement) -> bool:
    """Any visible text at all (stops at the first piece, unlike reading the whole text)."""
    return any(piece.strip() for piece in element.itertext())


TEXTS = etree.XPath("descendant-or-self::text()", smart_strings=False)


def text_of(element: HtmlElement) -> str:
    """The element's text, pieces joined by spaces (table cells and spans stay apart). XPath, not
    itertext(): that makes a Python proxy for every element on the way, three times slower."""
    return squash(" ".join(TEXTS(element)))


# --- meta tags ------------------------------------------------------------------------------------
def meta_tags(root: HtmlElement) -> dict[str, str]:
    """The page's `<meta name=… content=…>` by lower-cased name; the first of a name wins."""
    found: dict[str, str] = {}
    for meta in root.iter("meta"):
        name = (meta.get("name") or "").strip().lower()
        if name and name not in found:
            found[name] = squash(meta.get("content") or "")
    return found


# --- dates ----------------------------------------------------------------------------------------
def make_datetime(parts: Iterable[str | None]) -> datetime.datetime | None:
    """A date regex's groups as a datetime (no time: 00:00), or None for an impossible date."""
    numbers = [int(part) if part else 0 for part in parts]
    try:
        year, month, day, hour, minute, second = numbers[:6]
        return datetime.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


def parse_date(text: str) -> datetime.datetime | None:
    match = DATE_RE.search(text or "")
    return make_datetime(match.groups()) if match else None


def labelled_date(text: str) -> datetime.datetime | None:
    match = DATE_LABEL_RE.search(text)
    return make_datetime(match.groups()) if match else None


def url_date(url: str) -> datetime.datetime | None:
    """The date in a TRS article address (…/201905/t20190506_123.html)."""
    match = TRS_URL_RE.search(url)
    if not match:
        return None
    day = match.group(2)
    return make_datetime((day[:4], day[4:6], day[6:], None, None, None))


# --- labelled fields ------------------------------------------------------------------------------
def labelled(pattern: re.Pattern[str], text: str) -> str:
    match = pattern.search(text)
    return match.group(1).strip() if match else ""


def info_cells(root: HtmlElement) -> dict[str, str]:
    """The labelled cells of a 信息公开 table: `<td>索引号</td><td>…</td>` (label then value cell)."""
    found: dict[str, str] = {}
    for cell in root.iter("td", "th"):
        label = squash(cell.text_content()).replace(" ", "").rstrip(":：")
        field = INFO_LABELS.get(label)
        if not field or field in found:
            continue
        value_cell = cell.getnext()
        if value_cell is not None and value_cell.tag in ("td", "th"):
            value = text_of(value_cell)
            if value and value.replace(" ", "").rstrip(":：") not in INFO_LABELS:
                found[field] = value
    return found


def info_inline(text: str) -> dict[str, str]:
    """The same fields written inline ("索引号：…") in a list or a line of text."""
    found: dict[str, str] = {}
    for match in INFO_INLINE_RE.finditer(text):
        field = INFO_LABELS[match.group(1)]
        found.setdefault(field, match.group(2))
    return found


# --- Hanweb markers ---------------------------------------------------------------------------------
def hanweb_fields(source: str) -> dict[str, str]:
    """The template's field markers, by field name, as HTML."""
    return dict(HANWEB_FIELD_RE.findall(source))


def fragment(html: str) -> HtmlElement | None:
    try:
        return fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return None


def hanweb_content(source: str) -> HtmlElement | None:
    match = HANWEB_CONTENT_RE.search(source)
    if not match:
        html = hanweb_fields(source).get("信息内容", "")
        return fragment(html) if html.strip() else None
    return fragment(match.group(1))


# --- containers and title -------------------------------------------------------------------------
@dataclass(frozen=True)
class Container:
    family: str
    element: HtmlElement


def named_container(found: Index) -> Container | None:
    """The body's element in a known legacy template (the outermost when they nest)."""
    for family, finder in CONTAINERS:
        for element in found.find(finder):
            if has_text(element) or element.find(".//img") is not None:
                return Container(family, element)
    return None


def page_title(root: HtmlElement, found: Index) -> str:
    """The article's heading: a heading that the <title> repeats (templates write "标题_站名" there),
    else the template's title element or the first h1, else <title> without the site's name."""
    title = root.find(".//title")
    head_title = text_of(title) if title is not None else ""
    candidates = [
        text
        for element in [
            *(element for finder in TITLE_FINDERS for element in found.find(finder)),
            *root.iter("h1", "h2", "h3"),
        ]
        if 4 <= len(text := text_of(element)) <= 200 and element.find(".//a") is None
    ]
    repeated = next((text for text in candidates if text in head_title), "")
    return repeated or (candidates[0] if candidates else TITLE_SUFFIX_RE.sub("", head_title))


def split_header(body: HtmlElement, title: str) -> str:
    """Templates without a named container put the heading and the 发布时间/来源 line in the same element
    as the text: those leading lines are taken out of the body, and their text is returned (the first
    place to look for the labelled fields)."""
    texts: list[str] = []
    for child in list(body):
        if not isinstance(child.tag, str):
            continue
        text = text_of(child)
        if not text and child.find(".//img") is None:
            continue
        if len(text) > HEADER_MAX_CHARS or not (
            text == title or (HEADER_LEAD_RE.match(text) and DATE_LABEL_RE.search(text))
        ):
            break
        texts.append(text)
        child.drop_tree()
    return " ".join(texts)


HEADER_MAX_CHARS = 200
# An info line starts with one of its labels and has a labelled date ("作者：办公室　发布时间：2019-06-01").
HEADER_LEAD_RE = re.compile(
    r"\[?\s*(?:发布|信息|文章|稿件|更新)?(?:时间|日期|来源|作者|撰稿|供稿|发布者|点击|浏览)"
)
ATTACHMENT_LEAD_RE = re.compile(r"^\s*(?:相关)?附\s*件(?:下载)?\s*[:：]?")
ATTACHMENT_MAX_CHARS = 500


def attachment_blocks(body: HtmlElement) -> list[HtmlElement]:
    """The 附件 list that templates put after the body, outside its element (TRS `<div class="fj">`,
    a table row after the text): the elements that follow the body, or its parent or grandparent,
    whose text starts with 附件 and that hold links."""
    found: list[HtmlElement] = []
    element: HtmlElement | None = body
    for _level in range(3):
        if element is None:
            break
        for sibling in element.itersiblings():
            if not isinstance(sibling.tag, str):
                continue
            text = text_of(sibling)
            if (
                ATTACHMENT_LEAD_RE.match(text)
                and len(text) <= ATTACHMENT_MAX_CHARS
                and sibling.find(".//a") is not None
            ):
                found.append(sibling)
        if found:
            return found
        element = element.getparent()
    return found


# --- breadcrumbs ------------------------------------------------------------------------------------
def breadcrumb_element(root: HtmlElement, found: Index) -> HtmlElement | None:
    for finder in BREADCRUMB_FINDERS:
        for element in found.find(finder):
            if element.find(".//a") is not None:
                return element
    for element in BREADCRUMB_TEXTS(root):
        if (
            element.tag in BREADCRUMB_TAGS
            and BREADCRUMB_LEAD_RE.match(element.text or "")
            and len(text_of(element)) < 200
        ):
            return element
    return None


def breadcrumbs(root: HtmlElement, found: Index, title: str) -> tuple[str, ...]:
    """The column trail ("当前位置：首页 > 新闻中心 > 工作动态" → 新闻中心, 工作动态), without 首页 and the
    article itself."""
    element = breadcrumb_element(root, found)
    if element is None:
        return ()
    text = BREADCRUMB_LEAD_RE.sub("", text_of(element))
    # A page whose markup is broken can have its heading inside the trail: cut it out.
    parts = [
        part.replace(title, "").strip() if title else part.strip() for part in BREADCRUMB_SPLIT_RE.split(text)
    ]
    parts = [part for part in parts if part]
    while parts and parts[0] in HOME_NAMES:
        parts.pop(0)
    if parts and parts[-1] in {"正文", "详情", "内容", title}:
        parts.pop()
    return tuple(parts)


# --- the general main-content finder ------------------------------------------------------------------
SCORED = {"div", "td", "article", "section", "main"}
BR_LINE_LENGTH = 20  # a line ended by <br> in a template without paragraphs counts like a short paragraph
MAX_PARAGRAPH_CREDIT = 300  # one long block must not outweigh many paragraphs


def text_length(element: HtmlElement) -> int:
    """Characters of text in a paragraph-like element, spaces not counted."""
    return len(text_of(element).replace(" ", ""))


def link_density(element: HtmlElement) -> float:
    total = len(text_of(element).replace(" ", "")) or 1
    links = sum(len(text_of(anchor).replace(" ", "")) for anchor in element.iter("a"))
    return links / total


def general_container(root: HtmlElement) -> HtmlElement | None:
    """Readability-style: paragraphs give their length to their parent (and half to the grandparent);
    the best-scored element, discounted by how much of its text is links, is the body."""
    scores: dict[HtmlElement, float] = {}
    for paragraph in root.iter("p", "td", "pre", "li", "br"):
        holder = paragraph.getparent() if paragraph.tag == "br" else paragraph
        if holder is None or (paragraph.tag == "td" and paragraph.find(".//table") is not None):
            continue  # a layout cell holding a table is not a paragraph
        length = text_length(paragraph) if paragraph.tag != "br" else BR_LINE_LENGTH
        if length < 10:
            continue
        parent = holder.getparent() if holder.tag not in SCORED else holder
        for weight, element in ((1.0, parent), (0.5, parent.getparent() if parent is not None else None)):
            if element is not None and element.tag in SCORED:
                scores[element] = scores.get(element, 0.0) + weight * min(length, MAX_PARAGRAPH_CREDIT)
    best: tuple[float, HtmlElement | None] = (0.0, None)
    for element, score in scores.items():
        adjusted = score * (1.0 - link_density(element))
        if adjusted > best[0]:
            best = (adjusted, element)
    return best[1]
