"""Text typed by the public, kept as typed except for control characters.

Control characters (NUL, escape sequences, bidirectional overrides, zero-width marks) cannot be shown
and only serve to hide or garble text: they are removed before any check, so that a message holding
one is stored rather than refused. HTML or SQL in the text is just text, escaped wherever shown.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")


def clean_text(value: str) -> str:
    return CONTROL.sub("", value).strip()


class PlainTextField(forms.CharField):
    """A CharField that removes control characters before its validators run."""

    def to_python(self, value: Any) -> str:
        if isinstance(value, str):
            value = clean_text(value)
        return str(super().to_python(value))
