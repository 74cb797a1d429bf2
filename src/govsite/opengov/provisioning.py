"""The 法定主动公开内容 tree every department site starts with (条例 Art. 12 and 20; §5.1 O1, O4):
its 政务公开 column (信息公开目录) holding the 公开目录, the 政府信息公开指南 and 政府信息公开制度 pages
filled from templates with the department's name, and one column per Art. 20 category that applies
to a department. Idempotent: only what is missing is made; nothing existing is changed.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from wagtail.models import Page, Site

from govsite.content.models import ColumnPage, ColumnType, InfoPage
from govsite.sites.models import SiteProfile

from .models import CatalogueIndexPage

OPEN_GOV_SLUG, OPEN_GOV_TITLE = "zwgk", "政务公开"
GUIDE_TITLE, RULES_TITLE = "政府信息公开指南", "政府信息公开制度"
CATALOGUE_TITLE = "公开目录"
CATALOGUE_ORDER = "可按主题分类、体裁分类、年份、发文机关和有效性浏览"


@dataclass(frozen=True)
class Category:
    slug: str
    title: str
    column_type: str
    article: str  # which item of 条例 Art. 20 (or why the column is there)


# Art. 20's items that every department has; (8) 收费, (10) 重大建设项目, (11)–(13) sector policies
# and inspections apply to some departments only: their sites add those columns themselves.
CATEGORIES = (
    Category("jgzn", "机构职能", ColumnType.FUNCTIONS, "第二十条（二）"),
    Category("zcwj", "政策文件", ColumnType.POLICIES, "第二十条（一）"),
    Category("zcjd", "政策解读", ColumnType.INTERPRETATION, "政策文件的解读，与政策文件同步发布"),
    Category("ghjh", "规划计划", ColumnType.DISCLOSURE_CATALOGUE, "第二十条（三）"),
    Category("tjxx", "统计信息", ColumnType.DATA_RELEASE, "第二十条（四）"),
    Category("xzzf", "行政执法", ColumnType.DISCLOSURE_CATALOGUE, "第二十条（五）（六）"),
    Category("czyjs", "财政预决算", ColumnType.DISCLOSURE_CATALOGUE, "第二十条（七）"),
    Category("zfcg", "政府采购", ColumnType.DISCLOSURE_CATALOGUE, "第二十条（九）"),
    Category("rsxx", "人事信息", ColumnType.DISCLOSURE_CATALOGUE, "第二十条（十四）"),
    Category("gknb", "政府信息公开年报", ColumnType.DISCLOSURE_REPORT, "第四十九条、第五十条（年度报告）"),
)


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _column_fields(title: str) -> dict[str, str]:
    return {"description": f"{title}栏目，发布{title}相关信息。", "keywords": title}


def open_government_column(site: Site) -> ColumnPage:
    """The site's 政务公开 column (the first top-level column of type 信息公开目录), made if missing."""
    home = site.root_page
    column: ColumnPage | None = (
        ColumnPage.objects.child_of(home).filter(column_type=ColumnType.DISCLOSURE_CATALOGUE).first()
    )
    if column is not None:
        return column
    slug = OPEN_GOV_SLUG if not home.get_children().filter(slug=OPEN_GOV_SLUG).exists() else "xxgk"
    page = ColumnPage(
        title=OPEN_GOV_TITLE,
        slug=slug,
        column_type=ColumnType.DISCLOSURE_CATALOGUE,
        show_in_menus=True,
        show_on_home=True,
        **_column_fields(OPEN_GOV_TITLE),
    )
    _publish(home, page)
    return page


def _missing(column: ColumnPage, slug: str, title: str) -> bool:
    """Whether the column lacks a page of that slug (a child) or title (anywhere below it)."""
    if column.get_children().filter(slug=slug).exists():
        return False
    return not Page.objects.descendant_of(column).filter(title=title).exists()


def provision_open_government(site: Site) -> list[str]:
    """Complete the site's 法定主动公开内容 tree; returns the titles of the pages made."""
    column = open_government_column(site)
    department = SiteProfile.for_site(site).organiser or site.site_name
    context = {"department": department, "profile": SiteProfile.for_site(site), "site": site}
    made = []
    if not CatalogueIndexPage.objects.child_of(column).exists() and _missing(column, "gkml", CATALOGUE_TITLE):
        intro = f"本目录收录{department}主动公开的政府信息，{CATALOGUE_ORDER}。"
        catalogue = CatalogueIndexPage(title=CATALOGUE_TITLE, slug="gkml", intro=intro, show_in_menus=True)
        _publish(column, catalogue)
        made.append(CATALOGUE_TITLE)
    for slug, title, template in (
        ("gkzn", GUIDE_TITLE, "opengov/provision/guide.html"),
        ("gkzd", RULES_TITLE, "opengov/provision/rules.html"),
    ):
        if _missing(column, slug, title):
            body = render_to_string(template, context)
            _publish(column, InfoPage(title=title, slug=slug, body=body, show_in_menus=True))
            made.append(title)
    for category in CATEGORIES:
        if _missing(column, category.slug, category.title):
            fields = _column_fields(category.title)
            page = ColumnPage(
                title=category.title, slug=category.slug, column_type=category.column_type,
                show_in_menus=True, **fields,
            )  # fmt: skip
            _publish(column, page)
            made.append(category.title)
    return made
