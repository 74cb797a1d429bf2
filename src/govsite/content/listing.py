"""Stable pagination for column lists, so publishing one article rewrites few list files.

Ordinary pagination numbers pages from the newest item, so every new article shifts every page
and a static publisher must rewrite all of a column's list pages. Here archive pages are numbered
from the *oldest* item and hold exactly `per_page` items each; the column's front page holds the
newest `per_page` to `2 * per_page - 1` items. A new article changes the front page, and once every
`per_page` articles also creates the next archive page; old archive pages never change.

Positions count from the oldest item (0) to the newest (total - 1).
"""

from dataclasses import dataclass

FRONT = 0  # the column's own address


@dataclass(frozen=True)
class ListLayout:
    total: int
    per_page: int

    @property
    def archive_count(self) -> int:
        return max(0, self.total // self.per_page - 1)

    def positions(self, number: int) -> range:
        """The positions shown on list page `number` (FRONT or an archive page 1..archive_count)."""
        if number == FRONT:
            return range(self.archive_count * self.per_page, self.total)
        if 1 <= number <= self.archive_count:
            return range((number - 1) * self.per_page, number * self.per_page)
        raise ValueError(number)

    def page_of(self, position: int) -> int:
        if position >= self.archive_count * self.per_page:
            return FRONT
        return position // self.per_page + 1

    def pages_from(self, position: int) -> set[int]:
        """Every list page that shows an item at `position` or later (shifted by an insertion)."""
        return {FRONT} | {j for j in range(1, self.archive_count + 1) if j * self.per_page > position}

    def newer(self, number: int) -> int | None:
        if number == FRONT:
            return None
        return FRONT if number == self.archive_count else number + 1

    def older(self, number: int) -> int | None:
        if number == FRONT:
            return self.archive_count or None
        return number - 1 or None

    def display_number(self, number: int) -> int:
        """The page's place counted from the newest (1 = front), as readers expect to see it."""
        return 1 if number == FRONT else self.archive_count - number + 2


def list_file_name(number: int) -> str:
    """The address of list page `number` relative to its column."""
    return "" if number == FRONT else f"index_{number}.html"


NEAR_PAGES = 4  # numbered links shown on the front page besides 首页 and 尾页


def pager_context(layout: ListLayout, number: int) -> dict:
    """What a list page's pagination shows. Archive pages link only to their neighbours and the
    ends, so they stay byte-identical while newer articles arrive."""
    name = list_file_name
    newer, older = layout.newer(number), layout.older(number)
    near = range(layout.archive_count, max(0, layout.archive_count - NEAR_PAGES), -1)
    return {
        "total": layout.total,
        "per_page": layout.per_page,
        "page_count": layout.archive_count + 1,
        "number": number,
        "is_front": number == FRONT,
        "has_pages": layout.archive_count > 0,
        "newer": None if newer is None else name(newer),
        "older": None if older is None else name(older),
        "oldest": name(1) if layout.archive_count and number != 1 else None,
        "near": [(layout.display_number(j), name(j)) for j in near] if number == FRONT else [],
    }
