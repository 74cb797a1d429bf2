"""The document upload form: an Office file that would expand to a zip bomb is refused."""

import os
from typing import Any

from django.core.exceptions import ValidationError
from wagtail.documents.forms import BaseDocumentForm

from govsite.content.attachments import same_content
from govsite.content.extract import OFFICE_EXTENSIONS, archive_problem
from govsite.core import filetypes


class SafeDocumentForm(BaseDocumentForm):
    """Wagtail's document form, installed with WAGTAILDOCS_DOCUMENT_FORM_BASE (upload, multiple
    upload and edit). Only the archive's directory is read here: the text is extracted later, by
    a task (search.tasks.extract_document_text), within the extractor's own limits.

    A file whose content is already in one of the editor's collections is refused with the name of
    the existing document, so that the editor uses it instead of making a second copy. A file whose
    content is not what its extension says (an HTML page named .pdf) is refused (等保 E9).
    """

    def clean_file(self) -> Any:
        file = self.cleaned_data.get("file")
        extension = os.path.splitext(getattr(file, "name", "") or "")[1].lower().lstrip(".")
        changed = file is not None and "file" in self.changed_data
        if changed and not filetypes.content_matches(extension, filetypes.read_head(file)):
            raise ValidationError(
                f"文件内容与扩展名“.{extension}”不符，不能上传：请确认这是真实的 "
                f"{extension.upper()} 文件，或以正确的扩展名另存后重新上传。"
            )
        if file is not None and "file" in self.changed_data and extension in OFFICE_EXTENSIONS:
            problem = archive_problem(file)
            file.seek(0)
            if problem:
                raise ValidationError(f"{problem}，疑似“压缩炸弹”，不能上传。请检查文件后重新上传。")
        if file is not None and "file" in self.changed_data:
            existing = same_content(file, self.collections, self.instance.pk)
            if existing is not None:
                raise ValidationError(
                    f"素材库中已有内容相同的文件“{existing.title}”（编号 {existing.pk}，"
                    f"位于“{existing.collection.name}”），请直接选用该文件，无需重复上传。"
                )
        return file
