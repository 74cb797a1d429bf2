"""The column mapping file: which govsite column each of the old site's address prefixes goes to.

One line per old prefix, edited by the operator between a proposal and the import (docs/import.md):

    xwzx/gzdt/ = kjdt/gzdt/    # 120 篇, 首页>新闻中心>工作动态
    xwzx/tpxw/ =               # 8 篇, 首页>新闻中心>图片新闻  (empty: not imported, reported)

Paths are relative to the site's root, with a trailing slash; `#` starts a comment. The longest
matching prefix wins. An old prefix the file does not name goes to the column at the same path, if
the site has one (TRS sites and govsite share the `<column>/YYYYMM/t….html` scheme); any other page is
reported as unmapped and not imported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote

from wagtail.models import Site

from govsite.content.models import ColumnPage

from .mapping import column_prefix

HEADER = """\
# govsite 迁移栏目映射（docs/import.md）
# 每行：原网站地址前缀 = 本站栏目路径（均相对网站根目录，以 / 结尾）。
# 右侧留空表示该前缀下的页面不导入（在报告中列为“未映射栏目”）。
# 未列出的前缀，若本站有同一路径的栏目则导入到该栏目。
"""


class MappingError(ValueError):
    """The mapping file cannot be read; the message names the line, in Chinese."""


def normalise(path: str) -> str:
    """`/a/b` and `a/b/` alike as `a/b/` (the site root as "")."""
    path = path.strip().strip("/")
    return f"{path}/" if path else ""


def old_prefix(url: str) -> str:
    """The old column an address belongs to (`mapping.column_prefix`: dates and Hanweb's layout
    taken off), relative to the site root: `xwzx/gzdt/` for …/xwzx/gzdt/201905/t20190506_1.html."""
    return normalise(unquote(column_prefix(url)))


@dataclass
class ColumnMapping:
    """Old prefix → column path (`None` target: deliberately not imported)."""

    entries: dict[str, str | None] = field(default_factory=dict)

    def target(self, url: str) -> tuple[str, str | None]:
        """(the matched old prefix, the column path or None) for an old page's address."""
        prefix = old_prefix(url)
        candidates = [old for old in self.entries if prefix.startswith(old)]
        if candidates:
            old = max(candidates, key=len)
            return old, self.entries[old]
        return prefix, prefix  # the same path on this site, if it has such a column


def read_mapping(text: str) -> ColumnMapping:
    mapping = ColumnMapping()
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if "=" not in line:
            raise MappingError(f"映射文件第 {number} 行格式不正确，应为“原地址前缀 = 本站栏目路径”。")
        old, new = (part.strip() for part in line.split("=", 1))
        if not old.strip("/"):
            raise MappingError(f"映射文件第 {number} 行缺少原地址前缀。")
        mapping.entries[normalise(old)] = normalise(new) or None
    return mapping


def write_mapping(lines: Iterable[tuple[str, str, int, tuple[str, ...]]]) -> str:
    """The file's text from (old prefix, proposed column path or "", page count, breadcrumb names)."""
    out = [HEADER]
    for old, new, count, names in lines:
        left = f"{normalise(old)} = {new}".rstrip()
        trail = ">".join(names)
        out.append(f"{left:<40}  # {count} 篇" + (f", {trail}" if trail else ""))
    return "\n".join(out) + "\n"


class SiteColumns:
    """The site's columns by path below its root, read once per run."""

    def __init__(self, site: Site) -> None:
        root = site.root_page
        self.by_path: dict[str, ColumnPage] = {}
        for column in ColumnPage.objects.descendant_of(root).only("url_path", "title", "path", "depth"):
            self.by_path[normalise(column.url_path.removeprefix(root.url_path))] = column

    def get(self, path: str | None) -> ColumnPage | None:
        return self.by_path.get(normalise(path)) if path is not None else None
