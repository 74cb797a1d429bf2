"""The 政府信息公开年报 column of a site: opengov's statutory tree makes it for every new department
site (条例 Art. 49–50); a site provisioned before it existed gets it here when its report is made."""

from __future__ import annotations

from wagtail.models import Site

from govsite.content.models import ColumnPage, ColumnType
from govsite.opengov.provisioning import open_government_column

REPORT_SLUG, REPORT_TITLE = "gknb", "政府信息公开年报"


def report_column(site: Site) -> ColumnPage:
    """The site's 年报 column (the first column of type 信息公开年报 in its 政务公开), made if missing."""
    zwgk = open_government_column(site)
    existing: ColumnPage | None = (
        ColumnPage.objects.descendant_of(zwgk).filter(column_type=ColumnType.DISCLOSURE_REPORT).first()
    )
    if existing is not None:
        return existing
    slug = REPORT_SLUG if not zwgk.get_children().filter(slug=REPORT_SLUG).exists() else "zfxxgknb"
    column = ColumnPage(
        title=REPORT_TITLE,
        slug=slug,
        column_type=ColumnType.DISCLOSURE_REPORT,
        show_in_menus=True,
        description=f"{REPORT_TITLE}栏目，发布本机关历年政府信息公开工作年度报告。",
        keywords=f"{REPORT_TITLE},年度报告,政务公开",
    )
    zwgk.add_child(instance=column)
    column.save_revision().publish()
    return column
