"""An extracted page's body HTML as the project's body blocks (`content.body`): rich text in the
editor's features, tables as editable table blocks, images as image blocks, links to downloaded
attachments as Wagtail document links (so that checks, search and publishing treat them like an
editor's). Anything else an old page holds is unwrapped to its text, never dropped."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django.utils.html import escape

from govsite.content.body import BODY_ID_NAMESPACE, rich_text_block

VOID = {"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr", "source"}
KEPT = {"p", "h2", "h3", "h4", "b", "i", "ol", "ul", "li", "hr", "br", "a"}
RENAMED = {"strong": "b", "em": "i", "h1": "h2", "h5": "h4", "h6": "h4", "div": "p", "blockquote": "p"}
BLOCK_TAGS = {"p", "h2", "h3", "h4", "ol", "ul", "hr"}


@dataclass
class Node:
    tag: str  # "" for text
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)
    text: str = ""


class TreeBuilder(HTMLParser):
    """A forgiving tree of the (already cleaned) fragment: unclosed tags close with their parent."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(Node("", text=data))


def parse(html: str) -> Node:
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def text_of(node: Node) -> str:
    if not node.tag:
        return node.text
    return "".join(text_of(child) for child in node.children)


def find_all(node: Node, tag: str) -> list[Node]:
    found = [node] if node.tag == tag else []
    for child in node.children:
        found.extend(find_all(child, tag))
    return found


@dataclass(frozen=True)
class Linked:
    """What an old address became: a Wagtail image or document (by id)."""

    is_image: bool
    object_id: int


class BodyWriter:
    """Walks the fragment's top level and writes blocks; `assets` maps old absolute addresses."""

    def __init__(self, assets: dict[str, Linked]) -> None:
        self.assets = assets
        self.blocks: list[dict[str, Any]] = []
        self.pending: list[str] = []  # rich-text HTML not yet closed into a block

    def flush(self) -> None:
        source = "".join(self.pending).strip()
        self.pending = []
        if source:
            self.blocks.append(rich_text_block(source))

    def add(self, block_type: str, value: dict[str, Any]) -> None:
        self.flush()
        key = f"{block_type}:{sorted(value.items())!r}:{len(self.blocks)}"
        self.blocks.append(
            {"type": block_type, "value": value, "id": str(uuid.uuid5(BODY_ID_NAMESPACE, key))}
        )

    def inline(self, node: Node) -> str:
        """`node` as rich-text HTML of the kept tags (others unwrapped), images left out."""
        if not node.tag:
            return str(escape(node.text))
        inner = "".join(self.inline(child) for child in node.children if child.tag != "img")
        tag = RENAMED.get(node.tag, node.tag)
        if tag == "a":
            return self.link(node, inner)
        if tag not in KEPT:
            return inner
        if tag in ("br", "hr"):
            return f"<{tag}/>"
        return f"<{tag}>{inner}</{tag}>"

    def link(self, node: Node, inner: str) -> str:
        href = node.attrs.get("href", "")
        target = self.assets.get(href)
        if target is not None and not target.is_image:
            return f'<a linktype="document" id="{target.object_id}">{inner}</a>'
        if href.startswith(("http://", "https://", "mailto:")):
            return f'<a href="{escape(href)}">{inner}</a>'
        return inner

    def images(self, node: Node) -> None:
        for img in find_all(node, "img"):
            target = self.assets.get(img.attrs.get("src", ""))
            if target is not None and target.is_image:
                alt = (img.attrs.get("alt") or img.attrs.get("title") or "图片").strip()[:255] or "图片"
                self.add("image", {"image": target.object_id, "alt": alt, "caption": ""})

    def table(self, node: Node) -> None:
        rows = [
            [" ".join(text_of(cell).split()) for cell in row.children if cell.tag in ("td", "th")]
            for row in find_all(node, "tr")
        ]
        rows = [row for row in rows if row]
        if not rows:
            return
        width = max(len(row) for row in rows)
        data = [row + [""] * (width - len(row)) for row in rows]
        first = find_all(node, "tr")[0]
        header = any(cell.tag == "th" for cell in first.children)
        captions = find_all(node, "caption")
        caption = " ".join(text_of(captions[0]).split()) if captions else ""
        self.add(
            "table",
            {
                "data": data,
                "first_row_is_table_header": header,
                "first_col_is_header": False,
                "table_caption": caption,
            },
        )

    def top(self, node: Node) -> None:
        if node.tag == "table":
            self.table(node)
            return
        if node.tag in ("div", "section", "article", "center", "font", "span") and any(
            child.tag in ("table", "p", "div", "h2", "h3", "h4", "ul", "ol") for child in node.children
        ):
            for child in node.children:  # a wrapper: its children are the blocks
                self.top(child)
            return
        html = self.inline(node)
        tag = RENAMED.get(node.tag, node.tag)
        if html.strip() and (text_of(node).strip() or tag == "hr"):  # no empty paragraphs
            self.pending.append(html if tag in BLOCK_TAGS else f"<p>{html}</p>")
        self.images(node)

    def write(self, html: str) -> list[dict[str, Any]]:
        for node in parse(html).children:
            if not node.tag and not node.text.strip():
                continue
            self.top(node)
        self.flush()
        return self.blocks


def body_blocks(html: str, assets: dict[str, Linked]) -> list[dict[str, Any]]:
    """The blocks of a body from its cleaned HTML, links to `assets` rewritten."""
    return BodyWriter(assets).write(html)
