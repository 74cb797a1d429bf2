"""The catalogue metadata of one article as its page shows it (§5.4 I4)."""

from dataclasses import dataclass

from django.utils import timezone

from govsite.content.models import ArticlePage, DocumentValidity
from govsite.content.prefetch import page_validity_of

from .catalogue import default_organ, open_gov_column
from .models import CatalogueEntry, IndexNumber
from .relations import catalogue_entry_of


@dataclass
class CatalogueMetadata:
    rows: list[tuple[str, str]]  # (label, value), in the national norm's order
    entry: CatalogueEntry | None


def catalogue_metadata(page: ArticlePage) -> CatalogueMetadata | None:
    """The metadata rows of a catalogue item, or None for an article outside every 政务公开 column."""
    if open_gov_column(page) is None:
        return None
    # .all(): a preview's page holds its entry in memory (modelcluster), a published one in the database.
    entry = catalogue_entry_of(page)
    number = IndexNumber.objects.filter(page_id=page.pk).values_list("value", flat=True).first()
    validity = page_validity_of(page.pk) if page.pk else None
    status = validity.status if validity else DocumentValidity.Status.VALID
    if validity and validity.shows_banner:
        status = f"{status}（{timezone.localtime(validity.changed_at):%Y-%m-%d}）"
    pub = f"{timezone.localtime(page.pub_date):%Y-%m-%d}" if page.pub_date else ""
    rows = [
        ("索引号", number or "发布后生成"),
        ("主题分类", str(entry.subject) if entry and entry.subject else ""),
        ("发文机关", (entry.issuing_organ if entry else "") or default_organ(page)),
        ("成文日期", f"{entry.written_date:%Y-%m-%d}" if entry and entry.written_date else ""),
        ("发文字号", entry.document_number if entry else ""),
        ("发布日期", pub),
        ("体裁分类", str(entry.genre) if entry and entry.genre else ""),
        ("有效性", status),
        ("公开方式", entry.disclosure_method if entry else CatalogueEntry.Method.ACTIVE.value),
        ("服务对象", entry.audience if entry else ""),
        ("主题词", entry.subject_words if entry else ""),
    ]
    return CatalogueMetadata(rows=[(label, value) for label, value in rows if value], entry=entry)
