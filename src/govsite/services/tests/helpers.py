"""Guides for the tests: a complete one (every element answered) under a site's 办事服务 column."""

from typing import Any

from wagtail.models import Site

from govsite.content.models import ColumnPage, ColumnType
from govsite.services.models import ServiceGuidePage, ServiceMaterial

COMPLETE: dict[str, str] = {
    "item_name": "测试事项",
    "legal_basis": "《测试条例》第三条",
    "conditions": "依法设立的企业",
    "location": "政务服务中心 3 号窗口",
    "agency": "测试处",
    "fees": "不收费。",
    "hours": "工作日 9:00—17:00",
    "phone": "0471-1234567",
    "procedure": "1.申请；\n2.受理；\n3.决定。",
}


def services_column(site: Site) -> ColumnPage:
    columns = ColumnPage.objects.descendant_of(site.root_page).filter(column_type=ColumnType.SERVICES)
    return columns.order_by("-depth").first()


def publish_guide(
    site: Site, slug: str, materials: list[ServiceMaterial] | None = None, **fields: Any
) -> ServiceGuidePage:
    """A published guide with every element answered (`fields` override them)."""
    values = {**COMPLETE, "title": f"{slug}办事指南", "slug": slug, "body": "<p>简介。</p>", **fields}
    page = ServiceGuidePage(**values)
    page.materials = materials if materials is not None else [ServiceMaterial(name="申请表")]
    services_column(site).add_child(instance=page)
    page.save_revision().publish()
    return ServiceGuidePage.objects.get(pk=page.pk)


def blank_out(page: ServiceGuidePage, *fields: str) -> None:
    """Empty elements of a published guide as data imported or written before the checks would be."""
    ServiceGuidePage.objects.filter(pk=page.pk).update(**dict.fromkeys(fields, ""))
