"""Background tasks of site search (run by `govsite db_worker`)."""

from django_tasks import task
from wagtail.documents import get_document_model


@task()
def extract_document_text(document_id: int) -> str:
    """Extract an upload's text, then re-index the live pages that attach it.

    Queued by the upload (search.signal_handlers.on_document_saved) so that parsing a large or
    hostile file never runs inside the upload request and its database transaction.
    """
    from govsite.content.attachments import file_signature, save_document_text
    from govsite.content.models import ArticleAttachment, DocumentText

    from . import indexer

    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None:
        return "附件已删除"
    stored = DocumentText.objects.filter(document=document).first()
    if stored is None or stored.file_hash != file_signature(document):
        stored = save_document_text(document)
    for attachment in ArticleAttachment.objects.filter(document=document).select_related("page"):
        if attachment.page.live:
            indexer.index_page(attachment.page)
    return stored.error or f"{len(stored.text)} 字"


@task()
def reindex_task() -> int:
    """Rebuild the whole search index (`govsite reindex --background`)."""
    from .indexer import reindex_all

    return reindex_all()
