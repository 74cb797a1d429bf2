"""The base of every public page: government metadata and stable ASCII addresses."""

import threading
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import F, Q
from django.http import Http404, HttpRequest
from wagtail.models import Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet
from wagtail.url_routing import RouteResult

from .forms import BasePageForm
from .fragments import cached_value, in_run
from .slugs import is_ascii_slug, pinyin_slug

PageSet = TypeVar("PageSet", bound=PageQuerySet)


def alias_paths() -> list[str]:
    """Paths of alias pages (they take their source's view restrictions). Read once per run.

    A range on `alias_of_id`, unordered: the index finds the few aliases (`IS NOT NULL` ordered by
    path made SQLite read the whole page table, 85 ms at 100,000 articles)."""
    aliases = Page.objects.filter(alias_of_id__gt=0).order_by()
    return cached_value("alias_paths", lambda: list(aliases.values_list("path", flat=True)))


# Set by govsite.core.audit.prune while it removes records past the retention period.
_pruning = threading.local()


def restricted_paths() -> list[str]:
    """Paths of pages with a view restriction (密码/登录/用户组): they and their subtrees are private.
    Read once per publishing run."""
    return cached_value(
        "restricted_paths", lambda: list(PageViewRestriction.objects.values_list("page__path", flat=True))
    )


def public(pages: PageSet) -> PageSet:
    """`pages.public()`, reading the restricted sections once per publishing run, not per list."""
    restricted = restricted_paths()
    if not restricted:
        return pages
    private = Q()
    for path in restricted:
        private |= Q(path__startswith=path)
    visible: PageSet = pages.exclude(private)  # PageQuerySet is untyped (Wagtail)
    return visible


class TreeRangeQuerySet(PageQuerySet):
    """Subtree filters as a range on `path` (index-friendly) instead of `path LIKE 'prefix%'`.

    SQLite's LIKE is case-insensitive and cannot use the path index, so Wagtail's `descendant_of`
    and `child_of` scan every page of that depth: 20 ms per list query at 100,000 articles.
    Materialised paths are [0-9A-Z]*, so every descendant of P sorts in [P, P + "~").
    """

    def descendant_of_q(self, other: Page, inclusive: bool = False) -> Q:
        return subtree_q(other, inclusive)


def subtree_q(page: Page, inclusive: bool = False) -> Q:
    """The pages below `page` as a range on the indexed `path` (see TreeRangeQuerySet)."""
    if inclusive:
        return Q(path__gte=page.path, path__lt=page.path + "~")
    return Q(path__gt=page.path, path__lt=page.path + "~")


class BasePage(Page):
    """Abstract base for govsite pages.

    Subclasses add their `<meta>` tags of 《政府网站网页设计规范》 through `gov_meta()`; the site-level
    tags come from the site's settings in the base template.
    """

    # Wagtail's Page is untyped: its fields this class reads and writes.
    slug: str
    title: str
    path: str

    base_form_class = BasePageForm

    def get_view_restrictions(self) -> Any:
        """Wagtail's check (two queries per page), skipped in a publishing run for a page that no
        restricted section or alias covers: the run reads both lists once."""
        if in_run() and self.path:
            covering = [*restricted_paths(), *alias_paths()]
            if not any(self.path.startswith(path) for path in covering):
                return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    objects = PageManager.from_queryset(TreeRangeQuerySet)()

    class Meta:
        abstract = True

    @staticmethod
    def _slug_is_available(slug: str, parent_page: Page | None, page: Page | None = None) -> bool:
        """Wagtail's check that no sibling has the slug, written so that the database finds the slug
        through its index: Wagtail's children query made it walk every sibling (every article of a
        column of 30,000: 60 ms on each publish). The path test is a LIKE and the depth `depth + 0`,
        which no tree index can answer."""
        if parent_page is None:  # the root page's slug can be whatever it likes (as Wagtail)
            return True
        siblings = Page.objects.filter(slug=slug, path__startswith=parent_page.path)
        siblings = siblings.alias(tree_level=F("depth") + 0).filter(tree_level=parent_page.depth + 1)
        if page:
            siblings = siblings.not_page(page)
        return not siblings.exists()

    def _fill_slug(self) -> None:
        """The slug from the title's pinyin, before Wagtail's own default (which would drop every
        Chinese character and leave nothing)."""
        if not self.slug and self.title:
            base = pinyin_slug(self.title) or "page"
            if self.path or getattr(self, "_cached_parent_obj", None):
                self.slug = self._get_autogenerated_slug(base)
            else:
                self.slug = base

    def full_clean(self, *args: Any, **kwargs: Any) -> None:
        self._fill_slug()
        super().full_clean(*args, **kwargs)

    def minimal_clean(self) -> None:
        # A draft saved in code (导入 Word's new article) is cleaned only minimally: it needs its
        # slug as much, or it is stored with none and its address ends in "//".
        self._fill_slug()
        super().minimal_clean()

    def clean(self) -> None:
        super().clean()
        if self.slug and not is_ascii_slug(self.slug):
            raise ValidationError({"slug": "网址只能使用小写英文字母、数字和连字符（如 kjdt）。"})

    def gov_meta(self) -> list[tuple[str, str]]:
        """The page-level meta tags as (name, content) pairs."""
        return []

    def meta_description(self) -> str:
        """`<meta name="description">`: the editor's 搜索描述 (Wagtail's search_description), else
        the page's own summary; empty lets the base template fall back to the site's description."""
        return str(getattr(self, "search_description", "") or "").strip() or self.own_description()

    def own_description(self) -> str:
        """The field that summarises this page type (摘要, 网站简介, 栏目描述); none by default."""
        return ""

    def route(self, request: HttpRequest, path_components: list[str]) -> RouteResult | Any:
        """Page.route, with each page on the way (home, columns) loaded once per publishing run:
        every file of a site is routed from its home page down."""
        if not path_components:
            return super().route(request, path_components)
        slug, rest = path_components[0], path_components[1:]
        child = cached_value(
            ("route", self.pk, slug), lambda: self.get_children().filter(slug=slug).specific().first()
        )
        if child is None:
            raise Http404
        child._cached_parent_obj = self
        return child.route(request, rest)


class AppendOnlyQuerySet(models.QuerySet["AuditRecord"]):
    """The audit trail's rows are never changed or removed through the ORM (等保 E6); only pruning past
    the retention period deletes, through `govsite.core.audit.prune`, which marks the chain first."""

    def update(self, **kwargs: Any) -> int:
        raise AuditTrailIsAppendOnly("审计记录不可修改。")

    def delete(self) -> tuple[int, dict[str, int]]:
        if not getattr(_pruning, "active", False):
            raise AuditTrailIsAppendOnly(
                "审计记录不可删除（超过保存期限的记录由 govsite audit prune 清理）。"
            )
        return super().delete()


class AuditTrailIsAppendOnly(PermissionDenied):
    """Raised by every attempt to change or delete an audit record."""


class AuditRecord(models.Model):
    """One entry of the tamper-evident audit trail: who did what to which object, from where, and
    whether it succeeded. Each record carries the hash of the one before it (see core/audit.py)."""

    seq = models.PositiveBigIntegerField("序号", unique=True)
    time = models.DateTimeField("时间", db_index=True)
    user_id = models.BigIntegerField("用户编号", null=True, blank=True)
    username = models.CharField("用户", max_length=150, blank=True, db_index=True)
    event = models.CharField("事件", max_length=100, db_index=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_label = models.CharField("对象", max_length=255, blank=True)
    outcome = models.CharField("结果", max_length=16, default="success")
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    user_agent = models.CharField("客户端", max_length=255, blank=True)
    detail = models.JSONField("详情", default=dict, blank=True)
    prev_hash = models.CharField("前一条哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["seq"]
        permissions = [("export_auditrecord", "可导出审计记录")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.event}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditTrailIsAppendOnly("审计记录不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditTrailIsAppendOnly("审计记录不可删除。")


class AuditHead(models.Model):
    """The chain's last sequence number and hash, one row: writers lock it (SELECT … FOR UPDATE) so
    that two records never claim the same place, and `audit verify` checks the chain ends there."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    objects: models.Manager["AuditHead"] = models.Manager()

    class Meta:
        verbose_name = "审计链头"
        verbose_name_plural = "审计链头"
        default_permissions = ()

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash}"


class WorkerHeartbeat(models.Model):
    """A `govsite worker` process, as it last reported itself: the reaper takes a RUNNING task back
    from a worker whose heartbeat is older than the lease (core/workers.py). One row per worker."""

    worker_id = models.CharField("工作进程", max_length=64, primary_key=True)
    host = models.CharField("主机", max_length=255)
    pid = models.PositiveIntegerField("进程号")
    started_at = models.DateTimeField("启动时间")
    last_seen = models.DateTimeField("最后心跳", db_index=True)

    objects: models.Manager["WorkerHeartbeat"] = models.Manager()

    class Meta:
        verbose_name = "后台工作进程"
        verbose_name_plural = "后台工作进程"
        default_permissions = ()
        permissions = [("manage_background_jobs", "可查看并重新排队后台任务")]

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"


class TaskProgress(models.Model):
    """How far a running background task has got (done of total), reported by the task itself
    (core.workers.report_progress), shown on the 后台任务 admin page. Keyed by the task result's id."""

    result_id = models.UUIDField(primary_key=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects: models.Manager["TaskProgress"] = models.Manager()

    class Meta:
        verbose_name = "后台任务进度"
        verbose_name_plural = "后台任务进度"
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.done}/{self.total}"
