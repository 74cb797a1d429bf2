"""What the public forms share (依申请公开, 留言, …): accessible error markup, upload checks, query codes
and private files.

A form of the public never loses what was typed and shows each mistake next to its field (templates
`forms/field.html` and `forms/error_summary.html`). A case a person submitted is found again with its
number and a query code, of which only a keyed hash is stored.
"""

from __future__ import annotations

import hmac
import re
import secrets
import uuid
from pathlib import PurePosixPath
from typing import Any

from django import forms
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.utils.crypto import salted_hmac

from govsite.core import filetypes

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# What an uploaded scan or document may be: the extension and the file's first bytes must agree
# (core.filetypes).
UPLOAD_EXTENSIONS = (".jpg", ".jpeg", ".png", ".pdf")
# A contact telephone: an 11-digit mobile number, or a fixed line with its area code (and extension).
PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")
PHONE_INVALID = "联系电话格式不正确：请填写 11 位手机号码或带区号的固定电话。"
# Query codes avoid characters people confuse (0/O, 1/I/L): 12 of 31 characters ≈ 59 bits.
QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
QUERY_CODE_LENGTH = 12


def upload_problem(upload: UploadedFile[bytes], label: str = "证件附件") -> str | None:
    """Why an uploaded file is refused (type, size, or content not matching its type), or None."""
    name = (upload.name or "").lower()
    suffix = name[name.rfind(".") :] if "." in name else ""
    if suffix not in UPLOAD_EXTENSIONS:
        return f"{label}只能是 JPG、PNG 图片或 PDF 文件。"
    if (upload.size or 0) > MAX_UPLOAD_BYTES:
        return f"{label}不能超过 5 MB，请压缩后重新选择。"
    if not filetypes.content_matches(suffix, filetypes.read_head(upload)):
        return f"{label}的内容与文件类型不符，请选择真实的 JPG、PNG 或 PDF 文件。"
    return None


def new_query_code() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))


def hash_query_code(code: str, salt: str) -> str:
    """Only a keyed hash of a query code is stored: a database copy does not open the cases."""
    return salted_hmac(salt, code.strip().upper(), algorithm="sha256").hexdigest()


def query_code_matches(stored_hash: str, code: str, salt: str) -> bool:
    return hmac.compare_digest(stored_hash, hash_query_code(code, salt))


def private_path(prefix: str, folder: str, filename: str) -> str:
    """A random name under a private media prefix: the uploaded name may itself be personal data."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"{prefix}/{folder}/{uuid.uuid4().hex}{suffix}"


def open_private(field: FieldFile) -> File[bytes]:
    """A stored file for a download view; a file missing on disk is a 404, never a 500."""
    try:
        return field.open("rb")
    except OSError:
        raise Http404("文件不存在。") from None


def clean_phone_number(value: object) -> str:
    """A contact telephone as the public types it (spaces, brackets around the area code) made compact,
    or the one message that says what a valid number looks like."""
    phone = re.sub(r"[\s（）()]", "", str(value))
    if not PHONE.match(phone):
        raise forms.ValidationError(PHONE_INVALID)
    return phone


class AccessibleForm(forms.Form):
    """Each input names its help text and its error message (aria-describedby), and says it is invalid.

    The templates print the error as `<p id="<auto_id>_error">` and the help as `<auto_id>_helptext`
    (`id_<name>…`, or `id_<prefix>-<name>…` for a prefixed form).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._describe()

    def full_clean(self) -> None:
        super().full_clean()
        self._describe()

    def _describe(self) -> None:
        errors = getattr(self, "_errors", None) or {}
        for name, field in self.fields.items():
            auto_id = self[name].auto_id
            ids = [f"{auto_id}_error"] if name in errors else []
            if field.help_text:
                ids.append(f"{auto_id}_helptext")
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)
            if name in errors:
                field.widget.attrs["aria-invalid"] = "true"


class NumberLookupForm(AccessibleForm):
    """The public lookup of a case by its number and query code (依申请公开, 留言). Subclasses name the
    number (`number_label`, `number_example`) and what the code was shown for (`submitted_what`)."""

    number_label = "编号"
    number_example = ""
    submitted_what = "提交"

    number = forms.CharField(label="编号", max_length=32)
    code = forms.CharField(label="查询码", max_length=32)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        number, code = self.fields["number"], self.fields["code"]  # the instance's copies
        number.label, number.help_text = self.number_label, f"如 {self.number_example}"
        number.error_messages = {**number.error_messages, "required": f"请填写{self.number_label}。"}
        code.help_text = f"{self.submitted_what}时显示的查询码（不区分大小写）。"
        code.error_messages = {**code.error_messages, "required": "请填写查询码。"}
        self._bound_fields_cache.clear()  # type: ignore[attr-defined]  # bound before the labels changed
        self._describe()

    def clean_number(self) -> str:
        return str(self.cleaned_data["number"]).strip().upper()
