"""The 办事指南 editor: each element answered (or “无”), and at least one material or “无”.

A draft may be incomplete (Wagtail defers required fields on 保存草稿); submitting or publishing may not.
"""

from __future__ import annotations

from typing import Any

from govsite.core.forms import BasePageForm

from .elements import MATERIALS, MATERIALS_MESSAGE, TEXT_ELEMENTS, required_message


class ServiceGuidePageForm(BasePageForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in TEXT_ELEMENTS:
            if name in self.fields:
                self.fields[name].error_messages["required"] = required_message(label)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        formset = self.formsets.get(MATERIALS)
        deferred = self.is_deferred_validation  # 保存草稿
        if formset is not None and not deferred and not (cleaned.get("materials_note") or "").strip():
            kept = [
                form
                for form in formset.forms
                if form.has_changed() and not (formset.can_delete and formset._should_delete_form(form))
            ]
            if not kept:
                self.add_error("materials_note", MATERIALS_MESSAGE)
        return cleaned
