"""Proposing the old site's columns from its pages' addresses and breadcrumbs (`--propose-mapping`).

A column of an old site is where its articles' addresses have their directory: TRS puts an article of
工作动态 at /xwzx/gzdt/201905/t20190506_1.html, so the column is /xwzx/gzdt/ once the month directory
is taken off. Hanweb addresses carry no column directory (/art/2019/5/6/art_1229_87.html; 1229 is the
column's number), so their key is /art/1229/. `column_key(url)` is that rule; an old prefix of the
mapping is a prefix of the key, and the importer matches a page with `column_key(url).startswith(prefix)`.
The proposed name of a column is the breadcrumb trail most of its pages show.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

# Date directories under a column: /201905/, /2019/05/, /2019/5/6/, /20190506/, /2019-05-06/.
DATE_DIRS_RE = re.compile(r"/(?:19|20)\d{2}(?:[-_]?\d{2}){0,2}(?:/\d{1,2}){0,2}(?=/)")
HANWEB_ART_RE = re.compile(r"^(?P<base>.*?/art)(?:/\d{4}/\d{1,2}/\d{1,2})?/art_(?P<column>\d+)_\d+\.\w+$")


@dataclass(frozen=True)
class ProposedColumn:
    """One column of the old site: its key prefix, breadcrumb trail (outermost first) and page count."""

    old_prefix: str
    names: tuple[str, ...]
    page_count: int


def column_key(url: str) -> str:
    """The address of a page with the parts that are not its column (dates, Hanweb's layout) removed."""
    path = urlsplit(url).path or "/"
    hanweb = HANWEB_ART_RE.match(path)
    if hanweb:
        return f"{hanweb.group('base')}/{hanweb.group('column')}/"
    return DATE_DIRS_RE.sub("", path)


def column_prefix(url: str) -> str:
    """The directory part of the key: the column the page sits in."""
    key = column_key(url)
    return key[: key.rfind("/") + 1]


def propose_columns(pages: Iterable[tuple[str, tuple[str, ...]]]) -> list[ProposedColumn]:
    """The columns of the extracted `pages` (old address, breadcrumb trail), by prefix: the trail is the
    one most of the column's pages show (ties: the first seen); pages without a trail count, and a column
    whose pages show none is proposed with an empty trail for the operator to name."""
    trails: dict[str, Counter[tuple[str, ...]]] = defaultdict(Counter)
    counts: Counter[str] = Counter()
    for url, breadcrumbs in pages:
        prefix = column_prefix(url)
        counts[prefix] += 1
        if breadcrumbs:
            trails[prefix][tuple(breadcrumbs)] += 1
    return [
        ProposedColumn(
            old_prefix=prefix,
            names=trails[prefix].most_common(1)[0][0] if trails[prefix] else (),
            page_count=count,
        )
        for prefix, count in sorted(counts.items())
    ]
