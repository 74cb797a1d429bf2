"""The text of attached documents: extracted once, stored (DocumentText), read by checks and search.

Here, below both readers, because the pre-publication checks (govsite.checks) scan attachment
text and the search index (govsite.search) indexes it; the search app's background task
(search.tasks.extract_document_text) calls `save_document_text` when a document is uploaded.
"""

import os
import re
from typing import IO, Any

from django.conf import settings
from django.db.models import QuerySet
from wagtail.documents import get_document_model
from wagtail.models import Collection
from wagtail.utils.file import hash_filelike

from .extract import extract as extract_file
from .models import ArticleAttachment, DocumentText

# Django's storage keeps a name that is taken by adding "_" and 7 random letters and digits.
STORAGE_SUFFIX_RE = re.compile(r"_[A-Za-z0-9]{7}$")


def download_name(document: Any) -> str:
    """The name a reader's download is saved under: the uploaded file's name, without the suffix the
    storage added because a file of that name existed (申报指南_SobnJUK.docx → 申报指南.docx)."""
    root, extension = os.path.splitext(document.filename)
    return STORAGE_SUFFIX_RE.sub("", root) + extension


def same_content(file: IO[bytes], collections: QuerySet[Collection], exclude_pk: int | None = None) -> Any:
    """A document with exactly this content (Wagtail's file_hash) in one of `collections`, or None:
    an editor who uploads the same file again is offered the existing document instead."""
    file_hash = hash_filelike(file)
    file.seek(0)
    documents = get_document_model().objects.filter(file_hash=file_hash, collection__in=collections)
    return documents.exclude(pk=exclude_pk).order_by("pk").first()


def file_signature(document: Any) -> str:
    """What identifies the uploaded file: its hash, or its stored name and size when there is none."""
    if document.file_hash:
        return document.file_hash
    try:
        return f"{document.file.name}:{document.file.size}"[-40:]
    except (OSError, ValueError):
        return document.file.name[-40:]


def document_text(document: Any, extract: bool = True) -> str:
    """The stored text of an attachment. When there is none yet (the extraction task has not run),
    `extract` extracts it now, within the extractor's limits; without it the text is "" until
    the task stores it and re-indexes the pages that attach the document."""
    stored = DocumentText.objects.filter(document=document).first()
    if stored is not None and stored.file_hash == file_signature(document):
        return stored.text
    return save_document_text(document).text if extract else ""


def save_document_text(document: Any) -> DocumentText:
    """Extract and store an attachment's text (in the task worker: search.tasks.extract_document_text)."""
    try:
        limit = getattr(settings, "WAGTAILDOCS_MAX_UPLOAD_SIZE", None)
        if limit is not None and document.file.size > limit:
            raise OSError("文件超过上传大小上限，未提取文本")
        with document.open_file() as handle:
            data = handle.read()
        text, error = extract_file(data, document.file_extension)
    except OSError as exc:
        text, error = "", str(exc)[:250]
    stored, _ = DocumentText.objects.update_or_create(
        document=document, defaults={"file_hash": file_signature(document), "text": text, "error": error}
    )
    return stored


def extract_missing_texts() -> int:
    """Extract the text of attached documents that have none stored yet (before a full reindex)."""
    done = 0
    ids = set(ArticleAttachment.objects.values_list("document_id", flat=True))
    for document in get_document_model().objects.filter(pk__in=ids):
        stored = DocumentText.objects.filter(document=document).first()
        if stored is None or stored.file_hash != file_signature(document):
            save_document_text(document)
            done += 1
    return done
