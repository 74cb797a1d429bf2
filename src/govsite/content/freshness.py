"""How often a column must get new items: the one rule the inspection (V4 栏目不更新), the editors'
statistics and the stale-column reminders ask.

国办秘函〔2019〕19号 counts 动态/要闻 columns not updated for 2 weeks and 通知公告/政策文件 columns not
updated for 6 months; the 2015 普查 checks 人事/规划计划 columns against 1 year. Columns of other types
(概况信息, 机构职能, …) are static and have no period. An editor may set a column's own period
(`ColumnPage.update_days`; 0 = never expected to update).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import ColumnPage

#: Days within which a column of each type must get a new item (docs/inspection.md).
DEFAULT_UPDATE_DAYS: dict[str, int] = {
    "工作动态": 14,  # 动态/要闻
    "通知公告": 183,
    "政策文件": 183,
}

#: Column titles that mark a 人事 or 规划计划 column whatever its type (checked against 1 year).
YEARLY_TITLE_WORDS = ("人事", "规划", "计划")
YEARLY_DAYS = 365


def update_period(column: ColumnPage) -> timedelta | None:
    """The longest a column may go without a new item, or None when it is not expected to update."""
    if column.update_days is not None:
        return timedelta(days=column.update_days) if column.update_days else None
    days = DEFAULT_UPDATE_DAYS.get(column.column_type)
    if days is None and any(word in column.title for word in YEARLY_TITLE_WORDS):
        days = YEARLY_DAYS
    return timedelta(days=days) if days else None
