"""V3 首页不更新 and V4 栏目不更新 (国办秘函〔2019〕19号 单项否决 3 and 4).

Both read the database the public pages are rendered from: the items the home page shows, each
column's newest listed article (`content.visibility.listed`) and its period (`content.freshness`).
Only dated items count as updates (an article's 发布日期); pages without a visible date, such as
information pages, do not (“无发布日期的信息视为未更新”).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, F, Max
from django.db.models.functions import Substr
from wagtail.models import Page, Site

from govsite.content.freshness import update_period
from govsite.content.models import ArticlePage, ColumnPage, HomePage, listed_articles, local_datetime
from govsite.content.visibility import listed

from ..rules import FindingData, Kind, Rule, RuleOutcome, Status, checked_at, register, run_memo

HOME_FAIL_DAYS = 14  # 2 weeks without new information on the home page: veto
HOME_WARN_DAYS = 7  # the alert before it
STALE_VETO = 5  # 动态/要闻 (2 weeks) and 通知公告/政策文件 (6 months) columns not updated
LONG_STALE_VETO = 10  # columns that should update and have not for their whole period
EMPTY_VETO = 5  # empty columns
VETO_TYPES = ("工作动态", "通知公告", "政策文件")  # the column types of V4 (1)


def day(value: datetime) -> str:
    return f"{local_datetime(value):%Y-%m-%d}"


def age_days(value: datetime) -> int:
    return (checked_at() - value).days


# --- V3 -------------------------------------------------------------------------------------------


def home_items(home: HomePage) -> list[ArticlePage]:
    """The dated items the home page shows: its column blocks and focus items."""
    items = [article for _, articles in home.column_blocks() for article in articles]
    return items + home.focus_items()


def check_home(site: Site) -> RuleOutcome:
    home = site.root_page.specific
    if not isinstance(home, HomePage):
        return RuleOutcome(Status.UNKNOWN, "站点根页面不是网站首页")
    items = home_items(home)
    scope = "首页显示的信息"
    if not items:  # a home page of navigation only: any second-level page counts (V3)
        scope = "各二级页面的信息"
        items = list(listed_articles().descendant_of(home).order_by("-pub_date", "-pk")[:1])
    dated = [(item.pub_date, item.pk, item) for item in items if item.pub_date is not None]
    if not dated:
        finding = FindingData(
            key="V3|home",
            message="首页没有任何带发布日期的信息",
            evidence=f"{scope}中没有带发布日期的稿件",
            url=home.full_url or "",
            page_id=home.pk,
            fix="在首页显示的栏目中发布信息，并显示发布日期。",
        )
        return RuleOutcome(Status.FAIL, "首页无带日期的信息", [finding])
    newest_date, _, newest = max(dated, key=lambda entry: entry[:2])
    age = age_days(newest_date)
    measured = f"最近更新 {day(newest_date)}，已 {age} 天（否决线 {HOME_FAIL_DAYS} 天）"
    if age < HOME_WARN_DAYS:
        return RuleOutcome(Status.PASS, measured)
    status = Status.FAIL if age >= HOME_FAIL_DAYS else Status.WARN
    finding = FindingData(
        key="V3|home",
        message=f"首页已 {age} 天未更新"
        if status == Status.FAIL
        else f"首页已 {age} 天未更新，即将超过 2 周",
        evidence=f"{scope}中最新的是《{newest.title}》，发布于 {day(newest_date)}（已 {age} 天）",
        url=home.full_url or "",
        page_id=home.pk,
        fix="在首页显示的栏目（如工作动态、通知公告）中发布新信息；首页 2 周内须有新信息。",
    )
    return RuleOutcome(status, measured, [finding])


register(
    Rule(
        code="V3",
        title="首页不更新",
        kind=Kind.VETO,
        source="国办秘函〔2019〕19号 单项否决第 3 项",
        threshold="首页 2 周内无新信息（仅为导航页时，任一二级页面 2 周内无新信息）；7 天预警",
        check=check_home,
        order=30,
    )
)


# --- V4 -------------------------------------------------------------------------------------------


@dataclass
class ColumnState:
    column: ColumnPage
    period: timedelta | None
    newest: datetime | None  # the newest listed article in the column and its sub-columns
    empty: bool  # no listed child page at all

    @property
    def stale(self) -> bool:
        """Should update, has something, and has no dated item within its period."""
        if self.period is None or self.empty:
            return False
        return self.newest is None or checked_at() - self.newest > self.period

    @property
    def evidence(self) -> str:
        period = f"更新周期 {self.period.days} 天" if self.period else "无更新周期"
        if self.newest is None:
            return f"{period}；栏目中没有带发布日期的信息"
        return f"{period}；最后更新 {day(self.newest)}（已 {age_days(self.newest)} 天）"


def column_states(site: Site) -> list[ColumnState]:
    """Every listed column of the site with its newest article, in tree order (one grouped query for
    the articles of the whole site, one for the columns' children; read once per run)."""
    memo = run_memo()
    key = ("column_states", site.pk)
    if key not in memo:
        memo[key] = read_column_states(site)
    states: list[ColumnState] = memo[key]
    return states


def read_column_states(site: Site) -> list[ColumnState]:
    home = site.root_page
    columns = list(listed(ColumnPage.objects.descendant_of(home)).order_by("path"))
    parent_path = Substr("path", 1, (F("depth") - 1) * Page.steplen)
    newest_by_parent = dict(
        listed_articles()
        .descendant_of(home)
        .order_by()
        .annotate(parent_path=parent_path)
        .values("parent_path")
        .annotate(newest=Max("pub_date"))
        .values_list("parent_path", "newest")
    )
    parents_with_children = set(
        listed(Page.objects.descendant_of(home))
        .filter(depth__gt=home.depth + 1)
        .order_by()
        .annotate(parent_path=parent_path)
        .values("parent_path")
        .annotate(n=Count("pk"))
        .values_list("parent_path", flat=True)
    )
    states = []
    for column in columns:
        dates = [d for path, d in newest_by_parent.items() if d is not None and path.startswith(column.path)]
        states.append(
            ColumnState(
                column,
                update_period(column),
                max(dates, default=None),
                column.path not in parents_with_children,
            )
        )
    return states


def column_finding(code: str, state: ColumnState, message: str, fix: str) -> FindingData:
    column = state.column
    return FindingData(
        key=f"{code}|{column.path}",
        message=f"栏目“{column.title}”{message}",
        evidence=state.evidence,
        url=column.full_url or "",
        page_id=column.pk,
        fix=fix,
    )


def count_outcome(count: int, veto: int, what: str, findings: list[FindingData]) -> RuleOutcome:
    """FAIL at the veto line, WARN below it while any column counts (the warning before the veto)."""
    status = Status.FAIL if count >= veto else Status.WARN if count else Status.PASS
    return RuleOutcome(status, f"{count} 个{what}（否决线 {veto} 个）", findings)


STALE_FIX = "在该栏目发布新信息；确无更新需要的栏目，在栏目设置中调整“更新周期”或并入其他栏目。"


def check_stale_columns(site: Site) -> RuleOutcome:
    findings = [
        column_finding("V4.1", s, "超过更新周期未更新", STALE_FIX)
        for s in column_states(site)
        if s.column.column_type in VETO_TYPES and s.stale
    ]
    return count_outcome(len(findings), STALE_VETO, "动态要闻、通知公告、政策文件栏目超期未更新", findings)


def check_long_stale_columns(site: Site) -> RuleOutcome:
    findings = [
        column_finding("V4.2", s, "应更新而长期未更新", STALE_FIX) for s in column_states(site) if s.stale
    ]
    return count_outcome(len(findings), LONG_STALE_VETO, "应更新栏目长期未更新", findings)


def check_empty_columns(site: Site) -> RuleOutcome:
    findings = [
        column_finding(
            "V4.3",
            s,
            "为空栏目",
            "在栏目中发布信息；暂无内容的栏目应说明原因，或取消发布（从导航中移除）。",
        )
        for s in column_states(site)
        if s.empty
    ]
    return count_outcome(len(findings), EMPTY_VETO, "空白栏目", findings)


register(
    Rule(
        code="V4.1",
        title="栏目不更新（动态要闻、通知公告、政策文件）",
        kind=Kind.VETO,
        source="国办秘函〔2019〕19号 单项否决第 4 项（1）",
        threshold="动态要闻类栏目 2 周、通知公告和政策文件类栏目 6 个月未更新，累计 5 个及以上",
        check=check_stale_columns,
        order=41,
    )
)
register(
    Rule(
        code="V4.2",
        title="栏目长期未更新",
        kind=Kind.VETO,
        source="国办秘函〔2019〕19号 单项否决第 4 项（2）；人事、规划计划类 1 年（2015 年普查）",
        threshold="应更新但超过更新周期未更新的栏目 10 个及以上",
        check=check_long_stale_columns,
        order=42,
    )
)
register(
    Rule(
        code="V4.3",
        title="空白栏目",
        kind=Kind.VETO,
        source="国办秘函〔2019〕19号 单项否决第 4 项（3）",
        threshold="空白栏目 5 个及以上",
        check=check_empty_columns,
        order=43,
    )
)
