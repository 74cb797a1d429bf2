"""Page types of a department site: home, column (栏目), article, information page, link."""

import re
from bisect import bisect_left
from datetime import datetime
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    PageChooserPanel,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.models import Orderable, Page, Site
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail.url_routing import RouteResult

from govsite.core.forms import BasePageForm
from govsite.core.fragments import cached_batch, cached_value, in_bulk_run, in_run, prime
from govsite.core.models import BasePage, subtree_q

from .body import BodyBlock, BodyField
from .listing import FRONT, ListLayout, pager_context
from .visibility import in_list_order, is_pinned, listed, pinned, public_pages

# Article addresses: <column>/YYYYMM/tYYYYMMDD_<id>.html, stable for the life of the article.
ARTICLE_FILE_RE = re.compile(r"^t(?P<day>\d{8})_(?P<id>\d{1,18})\.html$")  # ids fit in 64 bits
MONTH_DIR_RE = re.compile(r"^\d{6}$")
# Routable paths reach RoutablePageMixin with a trailing slash added.
LIST_PAGE_RE = r"^index_(?P<number>\d+)\.html/?$"


class ColumnType(models.TextChoices):
    """ColumnType values enumerated by 《政府网站网页设计规范》; each label is its (Chinese) value."""

    OVERVIEW = "概况信息", "概况信息"
    FUNCTIONS = "机构职能", "机构职能"
    LEADERS = "负责人信息", "负责人信息"
    NEWS = "工作动态", "工作动态"
    NOTICES = "通知公告", "通知公告"
    POLICIES = "政策文件", "政策文件"
    DISCLOSURE_GUIDE = "信息公开指南", "信息公开指南"
    DISCLOSURE_CATALOGUE = "信息公开目录", "信息公开目录"
    DISCLOSURE_REPORT = "信息公开年报", "信息公开年报"
    DISCLOSURE_REQUEST = "依法申请公开", "依法申请公开"
    DATA_RELEASE = "数据发布", "数据发布"
    OPEN_DATA = "数据开放", "数据开放"
    INTERPRETATION = "政策解读", "政策解读"
    RESPONSES = "回应关切", "回应关切"
    SERVICES = "办事服务", "办事服务"
    CONSULTATION = "咨询投诉", "咨询投诉"
    SURVEYS = "征集调查", "征集调查"
    INTERVIEWS = "在线访谈", "在线访谈"
    TOPICS = "专题专栏", "专题专栏"
    OTHER = "其他", "其他"


def listed_articles() -> PageQuerySet:
    """Articles that lists, feeds, sitemaps and neighbours show (`visibility.listed`): live, public,
    not expired, not withdrawn (撤稿).

    A withdrawn article keeps answering at its own address (with its notice) but is listed nowhere.
    """
    return listed(ArticlePage.objects.all())


def listed_under_by_date_index(path: str, **tree_level: int) -> PageQuerySet:
    """Listed articles below `path` (`tree_level`: a Django lookup on the depth, e.g. `gt=3`),
    written so that the database walks the pub_date index instead of the page tree.

    For queries bounded by date or LIMIT in a large subtree: reading the subtree and sorting it
    costs its size (150 ms for 50,000 articles); walking the date index costs about
    limit × platform / subtree rows. Neither `LIKE` on the path nor `depth + 0` can use a tree
    index, which leaves the database the second way.
    """
    ((lookup, depth),) = tree_level.items()
    return (
        listed_articles()
        .filter(path__startswith=path)
        .alias(tree_level=F("depth") + 0)
        .filter(**{f"tree_level__{lookup}": depth})
    )


def withdrawn_public_article_paths() -> list[str]:
    """Paths of the public articles under 撤稿, read once per publishing run from the few withdrawal
    records (by page id: the database starts from them, not from the articles)."""

    def load() -> list[str]:
        pages = public_pages(Page.objects.filter(pk__in=Withdrawal.objects.values("page_id")))
        article_type = ContentType.objects.get_for_model(ArticlePage).pk
        rows = pages.order_by().values_list("path", "content_type_id")
        return [path for path, kind in rows if kind == article_type]

    return cached_value("withdrawn_public_article_paths", load)


# Neighbours (上一篇/下一篇) loaded at a time in a publishing run: a rebuild walks a column's addresses
# in date order, so a batch reaches a little behind and a chunk's worth (~50 articles) ahead.
NEIGHBOUR_BATCH = 64
NEIGHBOUR_BEHIND = 8


def live_article(pk: int) -> "ArticlePage | None":
    """The live article with this id (a column routes its file address to it)."""
    return ArticlePage.objects.live().filter(pk=pk).first()


def to_minute(value: datetime) -> datetime:
    return value.replace(second=0, microsecond=0)


def local_datetime(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


class HomePage(BasePage):
    """The root of one department site (网站首页)."""

    intro = models.TextField("网站简介", blank=True, help_text="用于首页的 Description 元数据。")
    articles_per_column = models.PositiveSmallIntegerField("每个栏目显示条数", default=6)
    focus_count = models.PositiveSmallIntegerField(
        "焦点图条数",
        default=5,
        help_text="首页焦点图显示的稿件数：有标题图片、设为焦点图或置顶的最新稿件。0 为不显示焦点图。",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("articles_per_column"),
        FieldPanel("focus_count"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["govsite_content.ColumnPage", "govsite_content.InfoPage", "govsite_content.LinkPage"]
    template = "content/home_page.html"
    admin_default_ordering = "ord"  # the explorer lists the columns in menu (tree) order

    class Meta:
        verbose_name = "网站首页"

    def own_description(self) -> str:
        return self.intro.strip()

    def gov_meta(self) -> list[tuple[str, str]]:
        return [
            ("ColumnName", "首页"),
            ("ColumnDescription", self.intro or self.title),
            ("ColumnKeywords", self.title),
            ("ColumnType", "首页"),
        ]

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["column_blocks"] = cached_value(("home_blocks", self.pk), self.column_blocks)
        context["focus_items"] = cached_value(("home_focus", self.pk), self.focus_items)
        return context

    def focus_items(self) -> list["ArticlePage"]:
        """焦点图: the site's listed articles with a title image that are flagged for it or pinned,
        in list order (`visibility.in_list_order`)."""
        if not self.focus_count:
            return []
        # Read from the few flagged rows (partial indexes `article_in_focus`, `article_pinned`) and
        # ordered here: asked to sort, the database walked the site's pub_date index instead
        # (0.5 s at 100,000 articles). The path test is a LIKE, which the tree index cannot answer.
        in_site = listed_under_by_date_index(self.path, gt=self.depth).filter(title_image__isnull=False)
        in_site = in_site.select_related("title_image").defer_streamfields()
        pinned_now = list(pinned(in_site))  # in pinned order
        flagged = {
            pk: when for when, pk in in_site.filter(in_focus=True).order_by().values_list("pub_date", "pk")
        }
        flagged.update((page.pk, page.pub_date) for page in pinned_now)
        newest = sorted(flagged, key=lambda pk: (flagged[pk] is not None, flagged[pk] or 0, pk), reverse=True)
        newest = newest[: self.focus_count * 2]
        loaded = {page.pk: page for page in pinned_now} | in_site.in_bulk(
            set(newest) - {p.pk for p in pinned_now}
        )
        items = [loaded[pk] for pk in newest]
        chosen = pinned_now[: self.focus_count]
        return in_list_order(chosen, items, self.focus_count)

    def column_blocks(self) -> list[tuple["ColumnPage", list["ArticlePage"]]]:
        """The columns shown on the home page with their newest articles (one query per column)."""
        blocks = []
        for column in listed(ColumnPage.objects.child_of(self)).filter(show_on_home=True):
            articles = column.front_items(self.articles_per_column)
            if articles:
                blocks.append((column, articles))
        return blocks


class ColumnPage(RoutablePageMixin, BasePage):
    """A column (栏目): a paginated list of its articles, with sub-columns."""

    column_type = models.CharField("栏目类型", max_length=20, choices=ColumnType.choices)
    description = models.TextField("栏目描述", help_text="栏目的主要内容与用途（ColumnDescription）。")
    keywords = models.CharField("栏目关键词", max_length=200, help_text="用逗号分隔（ColumnKeywords）。")
    per_page = models.PositiveSmallIntegerField("每页条数", default=20)
    show_on_home = models.BooleanField("在首页显示", default=False)
    update_days = models.PositiveSmallIntegerField(
        "更新周期（天）",
        null=True,
        blank=True,
        help_text="留空按栏目类型（工作动态 14 天，通知公告、政策文件 183 天，人事、规划计划 365 天）；"
        "0 表示无需定期更新。网站体检据此判断栏目是否超期未更新。",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("column_type"),
        FieldPanel("description"),
        FieldPanel("keywords"),
        FieldPanel("per_page"),
        FieldPanel("show_on_home"),
        FieldPanel("update_days"),
    ]
    parent_page_types = ["govsite_content.HomePage", "govsite_content.ColumnPage"]
    subpage_types = [
        "govsite_content.ColumnPage",
        "govsite_content.ArticlePage",
        "govsite_content.InfoPage",
        "govsite_content.LinkPage",
        "govsite_opengov.CatalogueIndexPage",  # 公开目录 of a 政务公开 column (docs/open-government.md)
        # 征集调查 and 在线访谈 (docs/participation.md)
        "govsite_participation.SolicitationPage",
        "govsite_participation.SurveyPage",
        "govsite_participation.InterviewPage",
        "govsite_services.ServiceGuidePage",  # 办事指南 (docs/services.md)
        "govsite_annualreport.AnnualReportPage",  # 政府信息公开年报 (docs/annual-report.md)
    ]
    template = "content/column_page.html"
    search_fields = [*Page.search_fields, index.SearchField("description")]

    class Meta:
        verbose_name = "栏目"

    def own_description(self) -> str:
        return self.description.strip()

    def gov_meta(self) -> list[tuple[str, str]]:
        return [
            ("ColumnName", self.title),
            ("ColumnDescription", self.description),
            ("ColumnKeywords", self.keywords),
            ("ColumnType", self.column_type),
        ]

    def get_admin_default_ordering(self) -> str:
        """The explorer lists sub-columns in menu (tree) order; a column of articles keeps them
        newest first (its few other children are then listed among them)."""
        if ArticlePage.objects.child_of(self).exists():
            return "-latest_revision_created_at"
        return "ord"

    def articles(self) -> PageQuerySet:
        """Live public articles of this column and its sub-columns, newest first."""
        return listed_articles().descendant_of(self).order_by("-pub_date", "-pk").defer_streamfields()

    def articles_by_date_index(self) -> PageQuerySet:
        """`articles()` for queries bounded by date or LIMIT in a large column."""
        articles = listed_under_by_date_index(self.path, gt=self.depth)
        return articles.order_by("-pub_date", "-pk").defer_streamfields()

    def newest_articles(self, limit: int) -> list["ArticlePage"]:
        """The newest `limit` articles, read the cheaper way for this column's share of the platform.

        In a publishing run the column's front list page, its feed and the home page's block ask
        for different numbers of the same newest articles: they are read once, for the largest
        number asked so far, and each gets a slice (the same order, so the same articles)."""
        if not in_run():
            return self._read_newest(limit)
        key = ("newest_articles", self.pk)
        read, rows = cached_value(key, lambda: (limit, self._read_newest(limit)))
        if limit > read:
            rows = self._read_newest(limit)
            prime({key: (limit, rows)})
        return rows[:limit]

    def _read_newest(self, limit: int) -> list["ArticlePage"]:
        count = self.list_layout().total
        platform = cached_value("platform_article_count", ArticlePage.objects.count)
        large = count * count > limit * platform  # the date walk reads fewer rows than the subtree
        articles = self.articles_by_date_index() if large else self.articles()
        return list(articles[:limit])

    def pinned_articles(self) -> list["ArticlePage"]:
        """The articles pinned (置顶) now in this column and its sub-columns, in pinned order.

        Written so that the database starts from the few pinned rows (the partial index
        `article_pinned`) instead of reading the column's subtree (170 ms for 30,000 articles)."""
        in_column = listed_under_by_date_index(self.path, gt=self.depth).defer_streamfields()
        pinned_now = pinned(in_column.select_related("title_image"))
        return cached_value(("pinned", self.pk), lambda: list(pinned_now[:MAX_PINNED]))

    def front_items(self, limit: int | None) -> list["ArticlePage"]:
        """The first `limit` items of every list of this column (its front page, the home page block,
        the feed): pinned first, then newest (`visibility.in_list_order`)."""
        newest = self.newest_articles(limit) if limit is not None else []
        return in_list_order(self.pinned_articles(), newest, limit)

    def article_count(self) -> int:
        """`articles().count()` on the page table alone, from the covering index (content type, path,
        live, expire_at) (core migration 0005) without reading a row: 120 → 7 ms for 30,000 articles.
        The public withdrawn articles (撤稿: few on any platform, read once per run) are taken off:
        joining the withdrawal table row by row would double the cost."""
        public_articles = public_pages(Page.objects.exact_type(ArticlePage).filter(subtree_q(self)))
        below = self.path + "~"
        withdrawn = sum(1 for path in withdrawn_public_article_paths() if self.path < path < below)
        return public_articles.count() - withdrawn

    # A column may hold tens of thousands of articles as children: the queries for its few other
    # children name their page types, so that the (content type, depth, path) index finds them
    # without reading the articles.
    def info_children(self) -> models.QuerySet[Page]:
        """Information and link pages placed directly in this column (e.g. 机构职能 in 组织机构).

        The depth test is written `depth + 0` so that the database cannot walk the (depth, path)
        index through every article child (120 ms for 30,000) and takes the content-type index."""
        children = Page.objects.filter(subtree_q(self)).alias(tree_level=F("depth") + 0)
        return listed(children.filter(tree_level=self.depth + 1)).type(InfoPage, LinkPage).specific()

    @cached_property
    def sub_columns(self) -> list["ColumnPage"]:
        """Child columns shown in menus (read once per instance and publishing run)."""
        columns = listed(ColumnPage.objects.child_of(self)).exact_type(ColumnPage)
        return cached_value(("sub_columns", self.pk), lambda: list(columns.filter(show_in_menus=True)))

    def route(self, request: HttpRequest, path_components: list[str]) -> RouteResult:
        """Route <YYYYMM>/t<YYYYMMDD>_<id>.html to the article with that id in this column."""
        if len(path_components) == 2 and MONTH_DIR_RE.match(path_components[0]):
            match = ARTICLE_FILE_RE.match(path_components[1])
            if match:
                number = int(match["id"])
                rel = "/".join(path_components)
                # A rebuild loads the articles of a chunk in one query (publishing primes them by id).
                article = cached_value(("live_article", number), lambda: live_article(number))
                if article and article.path[: -self.steplen] == self.path and article.file_path == rel:
                    return RouteResult(article)
                # A migrated article answers at its old number (`legacy_number`).
                for migrated in ArticlePage.objects.child_of(self).live().filter(legacy_number=number)[:2]:
                    if migrated.file_path == rel:
                        return RouteResult(migrated)
            raise Http404
        return super().route(request, path_components)

    def article_ids_oldest_first(self) -> list[int]:
        return list(self.articles().order_by("pub_date", "pk").values_list("pk", flat=True))

    def list_layout(self) -> ListLayout:
        count = cached_value(("article_count", self.pk), self.article_count)
        return ListLayout(count, self.per_page)

    @path("")
    def front_list_page(self, request: HttpRequest) -> HttpResponse:
        return self.list_page(request, FRONT)

    @re_path(LIST_PAGE_RE)
    def archive_list_page(self, request: HttpRequest, number: str) -> HttpResponse:
        if number.startswith("0"):
            raise Http404
        return self.list_page(request, int(number))

    def list_page(self, request: HttpRequest, number: int) -> HttpResponse:
        """List page `number`: FRONT (the newest items) or an archive page counted from the oldest."""
        layout = self.list_layout()
        try:
            positions = layout.positions(number)
        except ValueError as exc:
            raise Http404 from exc

        def load() -> list[ArticlePage]:
            if number == FRONT:  # every front position, with the pinned articles above them
                return in_list_order(self.pinned_articles(), self.newest_articles(len(positions)), None)
            # An archive page deep in a large column costs the database a sort of the whole
            # column; a publishing run renders many of them, so the order is read once per run.
            order = cached_value(("list_order", self.pk), self.article_ids_oldest_first)
            ids = order[positions.start : positions.stop]
            by_id = self.articles().in_bulk(ids)
            return [by_id[pk] for pk in reversed(ids) if pk in by_id]

        items = cached_value(("list_page", self.pk, number), load)  # the same in every version
        context = {"items": items, "pager": pager_context(layout, number)}
        return self.render(request, context_overrides=context)

    def list_page_numbers(self) -> list[int]:
        """Every list page of this column, front first (for publishing)."""
        layout = self.list_layout()
        return [FRONT, *range(layout.archive_count, 0, -1)]

    @re_path(r"^rss\.xml/?$", name="rss")
    def rss(self, request: HttpRequest) -> HttpResponse:
        from .feeds import ColumnFeed

        return ColumnFeed()(request, column=self)


class ArticlePageForm(BasePageForm):
    """Once an article has been published, its 发布日期 can no longer be changed (V1: forged dates)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.first_published_at and "pub_date" in self.fields:
            self.fields["pub_date"].disabled = True
            self.fields["pub_date"].help_text = "文章已发布，发布日期不可修改。"


MAX_PINNED = 20  # more pinned articles than this in one column are not shown first


class ArticlePage(BasePage):
    """An article (文章) as the seed page shows it."""

    source = models.CharField("来源", max_length=100, help_text="发布机构或转载来源（ContentSource）。")
    pub_date = models.DateTimeField(
        "发布日期", null=True, blank=True, help_text="留空则为首次发布的时间；发布后不可修改。"
    )
    author = models.CharField("作者", max_length=100, blank=True)
    responsible_editor = models.CharField("责任编辑", max_length=100, blank=True)
    summary = models.TextField("摘要", blank=True)
    keywords = models.CharField("关键词", max_length=200, blank=True)
    body: Any = BodyField(BodyBlock(), verbose_name="正文")  # a StreamValue; HTML may be assigned
    # Lists and home page (docs/lists-and-home.md): 置顶, 排序权重, 标题图片, 焦点图, 外链稿.
    pinned = models.BooleanField(
        "置顶", default=False, help_text="在所属栏目及上级栏目的列表、首页和订阅中排在最前。"
    )
    pinned_until = models.DateTimeField(
        "置顶截止时间", null=True, blank=True, help_text="留空则一直置顶；到期后自动取消置顶。"
    )
    sort_weight = models.SmallIntegerField(
        "排序权重", default=0, help_text="置顶稿件按权重从大到小排列，权重相同的按发布日期从新到旧。"
    )
    title_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="标题图片",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="列表缩略图和首页焦点图使用的图片。",
    )
    title_image_alt = models.CharField(
        "标题图片替代文本",
        max_length=200,
        blank=True,
        help_text="说明图片内容，供读屏软件使用；留空则使用图片的替代文本（图片说明）。",
    )
    in_focus = models.BooleanField("焦点图", default=False, help_text="有标题图片时在首页焦点图中显示。")
    legacy_number = models.BigIntegerField(
        "原网站稿件编号",
        null=True,
        blank=True,
        editable=False,
        help_text="从原网站迁移的稿件保留原地址中的编号（t20190506_123456.html），旧地址继续有效。",
    )
    external_url = models.URLField(
        "外链地址",
        blank=True,
        help_text="填写后本稿为外链稿（如转载人民网、中国政府网的稿件）：列表直接链接到该网址，并标明“外链”。",
    )

    base_form_class = ArticlePageForm
    # Tabs a higher app adds to the article editor (`add_edit_tab`), e.g. 公开目录.
    extra_edit_tabs: ClassVar[list[ObjectList]] = []
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("source"),
                FieldPanel("pub_date"),
                FieldPanel("author"),
                FieldPanel("responsible_editor"),
            ],
            heading="稿件信息",
        ),
        FieldPanel("summary"),
        FieldPanel("keywords"),
        FieldPanel("body"),
        InlinePanel("attachments", label="附件", heading="附件"),
        MultiFieldPanel(
            [
                FieldPanel("pinned"),
                FieldPanel("pinned_until"),
                FieldPanel("sort_weight"),
                FieldPanel("title_image"),
                FieldPanel("title_image_alt"),
                FieldPanel("in_focus"),
                FieldPanel("external_url"),
            ],
            heading="列表与首页",
        ),
    ]
    parent_page_types = ["govsite_content.ColumnPage"]
    subpage_types: list[str] = []
    template = "content/article_page.html"
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("source"),
        index.FilterField("pub_date"),
    ]

    class Meta:
        verbose_name = "文章"
        indexes = [
            models.Index(fields=["pub_date"], name="article_pub_date"),
            # The few pinned articles are found without reading a column (partial index).
            models.Index(fields=["pinned"], condition=models.Q(pinned=True), name="article_pinned"),
            # and the few 焦点图 articles of a site (the home page's focus images).
            models.Index(fields=["in_focus"], condition=models.Q(in_focus=True), name="article_in_focus"),
            # The route finds a migrated article by its old number as fast as by its id.
            models.Index(
                fields=["legacy_number"],
                condition=models.Q(legacy_number__isnull=False),
                name="article_legacy_number",
            ),
        ]

    @classmethod
    def add_edit_tab(cls, tab: ObjectList) -> None:
        """Add a tab to the article editor, from a higher app's AppConfig.ready: the article type
        stays one model while other domains (公开目录) keep their own records beside it."""
        cls.extra_edit_tabs.append(tab)
        cls.edit_handler = TabbedInterface(
            [
                ObjectList(cls.content_panels, heading=gettext_lazy("Content")),
                ObjectList(cls.promote_panels, heading=gettext_lazy("Promote")),
                ObjectList(cls.settings_panels, heading=gettext_lazy("Settings")),
                *cls.extra_edit_tabs,
            ],
            base_form_class=cls.base_form_class,
        )

    def clean(self) -> None:
        super().clean()
        image = self.title_image
        if image is not None and not (self.title_image_alt or image.description):
            raise ValidationError({"title_image_alt": "请填写标题图片的替代文本：说明图片的内容。"})
        if self.in_focus and not self.title_image_id:
            raise ValidationError({"in_focus": "显示在焦点图中的稿件须设置标题图片。"})
        if self.pk and self.first_published_at:
            stored = ArticlePage.objects.filter(pk=self.pk).values_list("pub_date", flat=True).first()
            # A draft saved before the first publication carries no date: it keeps the stored one.
            self.pub_date = self.pub_date or stored
            if stored and to_minute(self.pub_date) != to_minute(stored):
                raise ValidationError({"pub_date": "文章已发布，发布日期不可修改。"})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.live and not self.pub_date:
            self.pub_date = self.first_published_at or timezone.now()
        if self.pub_date:
            self.pub_date = to_minute(self.pub_date)  # 发布日期 is shown, and kept, to the minute
        super().save(*args, **kwargs)

    @property
    def file_path(self) -> str:
        """The article's address below its column: YYYYMM/tYYYYMMDD_<id>.html, the id being the old
        site's number for an article migrated with its address (docs/import.md), else the page id."""
        pub = local_datetime(self.pub_date or self.first_published_at or timezone.now())
        return f"{pub:%Y%m}/t{pub:%Y%m%d}_{self.legacy_number or self.pk}.html"

    @property
    def thumbnail_alt(self) -> str:
        """The title image's text alternative: this article's own, else the image's description."""
        if self.title_image is None:
            return ""
        return self.title_image_alt or self.title_image.description or self.title

    @property
    def is_pinned_now(self) -> bool:
        return is_pinned(self)

    @property
    def is_external(self) -> bool:
        """外链稿: lists link straight to `external_url`; its own address shows a leaving notice."""
        return bool(self.external_url)

    def get_template(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        if self.is_external:  # its own address tells a reader where the text is (即将离开本站)
            return "content/external_notice.html"
        return str(super().get_template(request, *args, **kwargs))

    def get_url_parts(self, request: HttpRequest | None = None) -> tuple[int, str | None, str | None] | None:
        """Wagtail's parts with the column's address and the file path. In a publishing run
        Wagtail's routing is asked once per column (and the request's site): a list page, feed or
        home page shows tens of articles of a few columns."""
        if not in_run() or not self.url_path:
            return self._column_url_parts(request, self.file_path)
        column_url_path = self.url_path.rstrip("/").rsplit("/", 1)[0]
        site = Site.find_for_request(request) if isinstance(request, HttpRequest) else None
        key = ("article_url_base", column_url_path, site.pk if site else None)
        base = cached_value(key, lambda: self._column_url_parts(request, ""))
        if base is None or base[2] is None:
            return base
        return base[0], base[1], base[2] + self.file_path

    def _column_url_parts(
        self, request: HttpRequest | None, file_path: str
    ) -> tuple[int, str | None, str | None] | None:
        parts = super().get_url_parts(request)
        if parts is None or parts[2] is None:  # not routable, or Wagtail's (site_id, None, None)
            return parts
        site_id, root_url, page_path = parts
        column_path = page_path.rstrip("/").rsplit("/", 1)[0] + "/"
        return site_id, root_url, column_path + file_path

    def route(self, request: HttpRequest, path_components: list[str]) -> RouteResult:
        # Articles answer only at their file address (routed by the column), never at a slug.
        raise Http404

    @cached_property
    def column(self) -> "ColumnPage | None":
        parent_path = self.path[: -self.steplen]  # one query per column and publishing run
        return cached_value(("column_at", parent_path), ColumnPage.objects.filter(path=parent_path).first)

    def own_description(self) -> str:
        return self.summary.strip()

    def gov_meta(self) -> list[tuple[str, str]]:
        tags = self.column.gov_meta() if self.column else []
        tags += [
            ("ArticleTitle", self.title),
            ("PubDate", f"{local_datetime(self.pub_date):%Y-%m-%d %H:%M}" if self.pub_date else ""),
            ("ContentSource", self.source),
        ]
        if self.keywords:
            tags.append(("Keywords", self.keywords))
        if self.author or self.responsible_editor:
            tags.append(("Author", self.author or self.responsible_editor))
        if self.summary:
            tags.append(("Description", self.summary))
        return tags

    def siblings_in_order(self) -> PageQuerySet:
        """The other listed articles of this column, for 上一篇/下一篇 (ORDER BY pub_date LIMIT 1):
        the date-index walk from this article to the nearest sibling takes 0.1 ms, reading and
        sorting a column of 3,000 articles 10–30 ms."""
        parent_path = self.path[: -self.steplen]
        return listed_under_by_date_index(parent_path, exact=self.depth).exclude(pk=self.pk)

    def attachment_list(self) -> list["ArticleAttachment"]:
        """附件, as `attachments.all()` (a preview holds them in memory); a publishing run reads a
        chunk's attachments in one query (content/prefetch.py)."""
        if self.pk is None:
            return list(self.attachments.all())
        return cached_value(("attachments", self.pk), lambda: list(self.attachments.all()))

    def _neighbour_in_run(self, step: int) -> "ArticlePage | None":
        """上一篇 (step 1) or 下一篇 (step -1) from the column's order, read once per publishing run
        chunk, and the neighbours loaded a batch at a time: the same answer as the index walk of
        `previous_article`/`next_article` (the adjacent (pub_date, pk) among listed siblings)."""
        parent_path = self.path[: -self.steplen]

        def load_order() -> list[tuple[datetime, int]]:
            siblings = listed_under_by_date_index(parent_path, exact=self.depth)
            siblings = siblings.filter(pub_date__isnull=False)
            return list(siblings.order_by("pub_date", "pk").values_list("pub_date", "pk"))

        order: list[tuple[datetime, int]] = cached_value(("sibling_order", parent_path), load_order)
        me = (self.pub_date, self.pk)
        at = bisect_left(order, me)
        found = at < len(order) and order[at] == me
        index = (at + 1 if found else at) if step > 0 else at - 1
        if not 0 <= index < len(order):
            return None

        def load_batch() -> dict[Any, Any]:
            pks = [pk for _, pk in order[max(0, index - NEIGHBOUR_BEHIND) : index + NEIGHBOUR_BATCH]]
            # Only their title and address are shown: the bodies (most of a row) stay unread.
            found = listed_articles().defer_streamfields().in_bulk(pks)
            return {("listed_article", pk): found.get(pk) for pk in pks}

        neighbour: ArticlePage | None = cached_batch(("listed_article", order[index][1]), load_batch)
        return neighbour

    @cached_property
    def previous_article(self) -> "ArticlePage | None":
        """上一篇: the article listed just before this one in the column (the next newer)."""
        if self.pk is None or self.pub_date is None:  # a preview of an unsaved draft
            return None
        if in_bulk_run():
            return self._neighbour_in_run(1)
        siblings = self.siblings_in_order()
        # Two index-friendly queries instead of one OR: the OR makes the database sort every
        # sibling, which costs tens of milliseconds in a column of thousands of articles.
        same_minute = siblings.filter(pub_date=self.pub_date, pk__gt=self.pk).order_by("pk")
        later = siblings.filter(pub_date__gt=self.pub_date).order_by("pub_date", "pk")
        return same_minute.first() or later.first()

    @cached_property
    def next_article(self) -> "ArticlePage | None":
        """下一篇: the article listed just after this one in the column (the next older)."""
        if self.pk is None or self.pub_date is None:
            return None
        if in_bulk_run():
            return self._neighbour_in_run(-1)
        siblings = self.siblings_in_order()
        same_minute = siblings.filter(pub_date=self.pub_date, pk__lt=self.pk).order_by("-pk")
        earlier = siblings.filter(pub_date__lt=self.pub_date).order_by("-pub_date", "-pk")
        return same_minute.first() or earlier.first()


class ArticleAttachment(Orderable):
    """A file attached to an article (附件), listed with its type and size."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="文件", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("显示名称", max_length=200, blank=True, help_text="留空则使用文件标题。")

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = "附件"
        verbose_name_plural = "附件"

    @property
    def display_title(self) -> str:
        return self.title or self.document.title

    @property
    def file_type(self) -> str:
        return self.document.file_extension.upper()


class InfoPage(BasePage):
    """A plain information page: 网站声明, 机构职能, 联系我们 …"""

    body: Any = BodyField(BodyBlock(), verbose_name="正文")  # a StreamValue; HTML may be assigned

    content_panels = [*Page.content_panels, FieldPanel("body")]
    parent_page_types = ["govsite_content.HomePage", "govsite_content.ColumnPage"]
    subpage_types: list[str] = []
    template = "content/info_page.html"
    search_fields = [*Page.search_fields, index.SearchField("body")]

    class Meta:
        verbose_name = "信息页"

    def gov_meta(self) -> list[tuple[str, str]]:
        parent = self.get_parent().specific
        return parent.gov_meta() if isinstance(parent, ColumnPage) else []


class LinkPageForm(BasePageForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if bool(cleaned.get("link_url")) == bool(cleaned.get("link_page")):
            raise forms.ValidationError("请填写外部网址或选择站内页面，二者选其一。")
        return cleaned


class LinkPage(BasePage):
    """A column entry that points elsewhere (链接栏目), e.g. 政务服务 on the government portal."""

    link_url = models.URLField("外部网址", blank=True)
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="站内页面",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    base_form_class = LinkPageForm
    content_panels = [*Page.content_panels, FieldPanel("link_url"), PageChooserPanel("link_page")]
    parent_page_types = ["govsite_content.HomePage", "govsite_content.ColumnPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "链接栏目"

    @property
    def target_url(self) -> str:
        if self.link_page is not None:  # no query when link_page_id is None
            return self.link_page.url or ""
        return self.link_url

    @property
    def is_external(self) -> bool:
        return not self.link_page_id

    def get_sitemap_urls(self, request: HttpRequest | None = None) -> list[dict[str, Any]]:
        return []

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.target_url:
            raise Http404
        return redirect(self.target_url)


# --- page-lifecycle states: 撤稿 and 文件效力 ----------------------------------------------------
# Both belonged to the workflow app; their tables keep its names, so no row moved.
class Withdrawal(models.Model):
    """撤稿: the page's address keeps answering, with a notice, a 410 or a redirect."""

    class Mode(models.TextChoices):
        NOTICE = "notice", "显示撤稿说明"
        GONE = "gone", "返回 410（已删除）并显示说明"
        REDIRECT = "redirect", "跳转到替代页面"

    page = models.OneToOneField(Page, on_delete=models.CASCADE, related_name="withdrawal")
    mode = models.CharField("撤稿后的处理", max_length=10, choices=Mode.choices, default=Mode.NOTICE)
    reason = models.TextField("撤稿说明", help_text="向公众显示，如：该信息已过时，已撤回。")
    replacement = models.ForeignKey(
        Page,
        verbose_name="替代页面",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    withdrawn_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "govsite_workflow_withdrawal"
        verbose_name = "撤稿"
        verbose_name_plural = "撤稿"

    def __str__(self) -> str:
        return f"{self.page_id}: {self.get_mode_display()}"


class DocumentValidity(models.Model):
    """文件效力 (G9): a document that has expired, been repealed or amended says so on its page."""

    class Status(models.TextChoices):
        VALID = "有效", "有效"
        EXPIRED = "失效", "失效"
        REPEALED = "废止", "废止"
        AMENDED = "已修改", "已修改"

    page = models.OneToOneField(Page, on_delete=models.CASCADE, related_name="validity")
    status = models.CharField("效力状态", max_length=6, choices=Status.choices, default=Status.VALID)
    replaced_by = models.ForeignKey(
        Page,
        verbose_name="替代文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="修改后的文件或取代它的新文件。",
    )
    note = models.CharField("说明", max_length=200, blank=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "govsite_workflow_documentvalidity"
        verbose_name = "文件效力"
        verbose_name_plural = "文件效力"

    def __str__(self) -> str:
        return f"{self.page_id}: {self.status}"

    @property
    def shows_banner(self) -> bool:
        return self.status != self.Status.VALID


class DocumentText(models.Model):
    """Text extracted from an uploaded document (PDF, DOCX, XLSX, TXT), keyed by file hash.

    Content knowledge: the pre-publication checks read it as well as the search index
    (see govsite.content.attachments)."""

    document = models.OneToOneField("wagtaildocs.Document", on_delete=models.CASCADE, related_name="+")
    file_hash = models.CharField(max_length=40, blank=True)
    text = models.TextField(blank=True)
    error = models.CharField(max_length=255, blank=True)
    extracted_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "govsite_search_documenttext"  # made by the search app, which held it before
        verbose_name = "附件文本"
        verbose_name_plural = "附件文本"

    def __str__(self) -> str:
        return f"{self.document_id}"


# --- 回收站 ---------------------------------------------------------------------------------------
class RecycledPage(models.Model):
    """A page in the 回收站: deleted in the admin, unpublished and hidden, kept for `recycle.KEEP_DAYS`
    days at its place in the tree (so 恢复 puts it back where it was), then purged."""

    page = models.OneToOneField(Page, on_delete=models.CASCADE, related_name="recycled")
    site = models.ForeignKey(
        "wagtailcore.Site", null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="网站"
    )
    title = models.CharField("标题", max_length=255)
    was_live = models.BooleanField("删除前已发布", default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="删除人",
    )
    deleted_at = models.DateTimeField("删除时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "回收站中的页面"
        verbose_name_plural = "回收站"
        ordering = ["-deleted_at"]

    def __str__(self) -> str:
        return self.title
