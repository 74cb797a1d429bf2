"""Model fields shared by every app."""

from typing import Any

from wagtail.fields import StreamField as WagtailStreamField


class StreamField(WagtailStreamField):
    """A StreamField whose block definitions stay out of migrations.

    Editing a block's label or adding a block then needs no migration (the ONS dis-wagtail
    pattern); data migrations must work on raw JSON, which they should anyway.
    """

    def __init__(self, block_types: Any = None, **kwargs: Any) -> None:
        super().__init__(block_types if block_types is not None else [], **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, _, kwargs = super().deconstruct()
        kwargs.pop("verbose_name", None)
        return name, path, [], kwargs
