"""Model fields shared by every app."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from wagtail.blocks.base import BlockField, BlockWidget
from wagtail.fields import StreamField as WagtailStreamField

# What a hostile or truncated POST (no "-count", "-type" or "-order" keys, a count that is not a
# number…) makes Wagtail's block widgets raise while reading the form data.
MALFORMED_ERRORS = (KeyError, ValueError, TypeError, IndexError)
MALFORMED_MESSAGE = "提交的数据不完整或格式不正确，未作保存。请刷新页面后重新编辑。"


class _Malformed:
    """The value of a stream whose form data could not be read: the field refuses it."""

    def __repr__(self) -> str:
        return "MALFORMED"


MALFORMED = _Malformed()


class StreamWidget(BlockWidget):
    """Wagtail's block widget, which reads form data by indexing it (a missing key: a 500)."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        try:
            return super().value_from_datadict(data, files, name)
        except MALFORMED_ERRORS:
            return MALFORMED


class StreamFormField(BlockField):
    """Wagtail's block field giving a form error, not a server error, for unreadable form data; the
    form is shown again with the stored value (nothing stored is lost)."""

    def __init__(self, block: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("widget", StreamWidget(block))
        super().__init__(block=block, **kwargs)

    def clean(self, value: Any) -> Any:
        if value is MALFORMED:
            raise ValidationError(MALFORMED_MESSAGE, code="malformed")
        return super().clean(value)

    def bound_data(self, data: Any, initial: Any) -> Any:
        return initial if data is MALFORMED else super().bound_data(data, initial)

    def has_changed(self, initial_value: Any, data_value: Any) -> bool:
        return data_value is MALFORMED or bool(super().has_changed(initial_value, data_value))


class StreamField(WagtailStreamField):
    """A StreamField whose block definitions stay out of migrations, and whose admin form field
    refuses unreadable form data with a form error.

    Editing a block's label or adding a block then needs no migration (the ONS dis-wagtail
    pattern); data migrations must work on raw JSON, which they should anyway.
    """

    def __init__(self, block_types: Any = None, **kwargs: Any) -> None:
        super().__init__(block_types if block_types is not None else [], **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, _, kwargs = super().deconstruct()
        kwargs.pop("verbose_name", None)
        return name, path, [], kwargs

    def formfield(self, **kwargs: Any) -> forms.Field:
        kwargs.setdefault("form_class", StreamFormField)
        field: forms.Field = super().formfield(**kwargs)
        return field
