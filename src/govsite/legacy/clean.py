"""An old page's body as the editor's allowed HTML, and the images and attachments it links to.

The structure is cleaned here, on the lxml tree: scripts, forms and frames out, only the tags the rich-text
editor and table block know kept (paragraphs, h2-h4, bold, italic, lists, links, images, tables), every
other tag unwrapped (`div` becomes a paragraph when it holds only text), attributes reduced to href/src/
alt/title/colspan/rowspan, addresses made absolute. The text-level cleaning (`&nbsp;` runs, leading
full-width indents, empty paragraphs, any style left) is the editor's 一键排版 (`content.typeset`), run
without retypesetting the words: one cleaner for pasted Word text and imported pages alike.
"""

from __future__ import annotations

import copy
import re
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import Element, HtmlElement, tostring

from govsite.content.typeset import typeset_html

from .records import Asset

DROPPED = (
    "script",
    "style",
    "noscript",
    "iframe",
    "frame",
    "frameset",
    "form",
    "input",
    "button",
    "select",
    "textarea",
    "object",
    "embed",
    "link",
    "meta",
    "head",
    "title",
    "svg",
    "canvas",
    "audio",
    "video",
    "map",
)
KEPT = {
    "p", "br", "h2", "h3", "h4", "b", "i", "ul", "ol", "li", "hr", "a", "img",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
}  # fmt: skip
# Formatting tags that old pages wrap every run of text in (Word paste: <span><font><o:p>).
UNWRAPPED = ("span", "font", "o:p", "u", "small", "big", "label", "nobr", "ins", "s", "strike", "tt", "wbr")
RENAMED = {"strong": "b", "em": "i", "h1": "h2", "h5": "h4", "h6": "h4"}
# Containers: a paragraph when they hold only text and inline tags, unwrapped otherwise.
CONTAINERS = {
    "div", "section", "article", "center", "blockquote", "main", "figure", "figcaption",
    "dl", "dt", "dd", "pre", "address", "aside", "header", "footer", "nav", "body", "html",
}  # fmt: skip
BLOCKS = {"p", "h2", "h3", "h4", "ul", "ol", "li", "table", "hr"}
INLINE = {"a", "b", "i", "img", "br"}
ATTRIBUTES = {
    "a": ("href", "title"),
    "img": ("src", "alt"),
    "td": ("colspan", "rowspan"),
    "th": ("colspan", "rowspan"),
}
ATTACHMENT_EXTENSIONS = {
    "pdf", "doc", "docx", "wps", "xls", "xlsx", "et", "csv", "ppt", "pptx", "txt", "rtf", "ofd",
    "zip", "rar", "7z", "tar", "gz",
}  # fmt: skip
IMAGE_EXTENSIONS = {"jpg", "jpeg", "png", "gif", "bmp", "webp"}
# Lazy-loading templates keep the picture in data-original/data-src (src is a loading.gif placeholder);
# TRS keeps an image's original address in OLDSRC, used when src is empty.
IMAGE_SOURCES = ("data-original", "data-src", "src", "oldsrc")
QUERY_FILE_RE = re.compile(r"=[^&=]*\.(\w{1,4})(?:&|$)")
# The file-type icons templates put before attachment links (icon_doc.gif) are not pictures of the article.
ICON_RE = re.compile(r"/(?:icons?/[^/]*|(?:icon|ico|file)[_-]?\w{0,10}\.(?:gif|png))$", re.I)
# Tags whose whitespace-only text is layout, not content.
TABLE_PARTS = {"thead", "tbody", "tfoot", "tr", "th", "td", "caption"}
STRUCTURAL = {"table", "thead", "tbody", "tfoot", "tr", "ul", "ol"}
WHITESPACE_RE = re.compile(r"[ \t\r\n\f]+")


def extension(url: str) -> str:
    """The file type of a link: its path's extension, or, for a download script
    (downfile.jsp?filename=1905.pdf, as Hanweb writes them), the extension of a file name in the query."""
    parts = urlsplit(url)
    name = parts.path.rsplit("/", 1)[-1]
    kind = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if kind in ATTACHMENT_EXTENSIONS or kind in IMAGE_EXTENSIONS:
        return kind
    match = QUERY_FILE_RE.search(parts.query)
    return match.group(1).lower() if match else kind


def absolute(base: str, address: str) -> str:
    return urljoin(base, address.strip())


def unusable_link(href: str) -> bool:
    lowered = href.strip().lower()
    return not lowered or lowered.startswith(("javascript:", "#", "vbscript:", "data:"))


def link_text(element: HtmlElement) -> str:
    return WHITESPACE_RE.sub(" ", element.text_content()).strip()


def clean_links(root: HtmlElement, base: str, assets: dict[str, Asset]) -> None:
    """Images and links: absolute addresses, images and attachment links collected in `assets`."""
    for element in list(root.iter("img", "a")):
        if element.tag == "img":
            clean_image(element, base, assets)
        else:
            clean_anchor(element, base, assets)


def clean_image(image: HtmlElement, base: str, assets: dict[str, Asset]) -> None:
    source = next((image.get(name) for name in IMAGE_SOURCES if (image.get(name) or "").strip()), "")
    if not source or source.strip().lower().startswith(("data:", "javascript:")) or ICON_RE.search(source):
        image.drop_tree()
        return
    url = absolute(base, source)
    image.set("src", url)
    assets.setdefault(url, Asset(url=url, title=(image.get("alt") or "").strip(), is_image=True))


def clean_anchor(anchor: HtmlElement, base: str, assets: dict[str, Asset]) -> None:
    href = anchor.get("href") or ""
    if unusable_link(href):
        anchor.drop_tag()
        return
    url = absolute(base, href)
    anchor.set("href", url)
    kind = extension(url)
    if kind in ATTACHMENT_EXTENSIONS or kind in IMAGE_EXTENSIONS:
        title = link_text(anchor) or urlsplit(url).path.rsplit("/", 1)[-1]
        assets.setdefault(url, Asset(url=url, title=title, is_image=kind in IMAGE_EXTENSIONS))


def has_block(element: HtmlElement) -> bool:
    return any(isinstance(child.tag, str) and child.tag in BLOCKS for child in element.iterdescendants())


def simplify(root: HtmlElement) -> None:
    """Tags reduced to the allowed ones, bottom-up (a container is judged after its children)."""
    etree.strip_tags(root, *UNWRAPPED)  # the common inline wrappers in one pass in C; the rest below
    for element in reversed(list(root.iterdescendants())):
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = RENAMED.get(tag.lower(), tag.lower())
        if tag in TABLE_PARTS and next(element.iterancestors("table"), None) is None:
            tag = "div"  # a row or cell taken out of its layout table (an attachment row) is a container
        if tag in CONTAINERS:
            if has_block(element):
                element.drop_tag()
                continue
            tag = "p"
        if tag not in KEPT:
            element.drop_tag()
            continue
        element.tag = tag
        allowed = ATTRIBUTES.get(tag, ())
        for name in list(element.attrib):
            if name not in allowed:
                del element.attrib[name]


def collapse_whitespace(root: HtmlElement) -> None:
    """HTML whitespace (source line breaks and indents) as browsers show it: one space."""
    for element in root.iter():
        if element.text:
            element.text = WHITESPACE_RE.sub(" ", element.text)
            if element.text == " " and (
                element.tag in STRUCTURAL or (len(element) and element[0].tag in BLOCKS)
            ):
                element.text = None
        if element.tail:
            element.tail = WHITESPACE_RE.sub(" ", element.tail)
            parent = element.getparent()
            if element.tail == " " and (
                element.tag in BLOCKS | STRUCTURAL
                or element.tag in ("td", "th")
                or (parent is not None and parent.tag in STRUCTURAL)
            ):
                element.tail = None


def paragraphs(root: HtmlElement) -> str:
    """The top level as blocks: runs of loose text and inline tags are wrapped in paragraphs."""
    if not (root.text or "").strip() and all(
        child.tag not in INLINE and not (child.tail or "").strip() for child in root
    ):  # only blocks at the top (the usual case): serialise in one go
        for child in root:
            child.tail = None
        return str(tostring(root, encoding="unicode"))[len("<div>") : -len("</div>")]
    out: list[str] = []
    loose: list[str] = []

    def flush() -> None:
        text = "".join(loose).strip()
        if text and text != "<br>":
            out.append(f"<p>{text}</p>")
        loose.clear()

    if root.text:
        loose.append(escape_text(root.text))
    for child in root:
        tail, child.tail = child.tail, None
        if child.tag in INLINE:
            loose.append(tostring(child, encoding="unicode"))
        else:
            flush()
            out.append(tostring(child, encoding="unicode"))
        if tail:
            loose.append(escape_text(tail))
    flush()
    return "".join(out)


def escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clean_body(elements: list[HtmlElement], base: str) -> tuple[str, tuple[Asset, ...]]:
    """The cleaned HTML of `elements` (the body, in order; left untouched) and its assets."""
    root = Element("div")
    for element in elements:
        copied = copy.deepcopy(element)
        copied.tail = None  # the text after the body's element is not the body
        copied.tag = "div"  # the body's own element may be a table cell (Hanweb) or <body>
        root.append(copied)
    etree.strip_elements(root, *DROPPED, with_tail=False)
    etree.strip_tags(root, etree.Comment, etree.ProcessingInstruction)
    assets: dict[str, Asset] = {}
    clean_links(root, base, assets)
    simplify(root)
    collapse_whitespace(root)
    return typeset_html(paragraphs(root), text=False), tuple(assets.values())
