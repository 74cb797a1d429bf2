"""Valid application data and files for the disclosure tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import Site

from govsite.disclosure import services
from govsite.disclosure.models import DisclosureRequest

# 11010519491231002X: the GB 11643 standard's own example (check character X).
VALID_ID = "11010519491231002X"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "证件.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def application(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "applicant_type": "natural",
        "name": "张三丰",
        "id_type": "resident_id",
        "id_number": VALID_ID,
        "phone": "13812345678",
        "email": "zhang@example.com",
        "address": "呼和浩特市新城区某街 1 号",
        "postcode": "010010",
        "description": "2025 年度科技计划项目立项清单",
        "purpose": "科研参考",
        "delivery": "email",
        "id_document": pdf(),
    }
    data.update(overrides)
    return data


def new_case(site: Site, received_on: str | None = None, **overrides: Any) -> tuple[DisclosureRequest, str]:
    """A case submitted online to `site`, received on `received_on` (ISO date) instead of today."""
    data = application(**overrides)
    data.pop("id_document")
    case, code = services.submit(site, data, pdf())
    if received_on:
        case.received_on = dt.date.fromisoformat(received_on)
        case.save()
    return case, code
