"""Panels of the 发布目标 form shown for some kinds of target only (the S3 fields for S3…).

The server renders the fields of every kind and hides the others (`hidden`) by the kind the form
holds: the target's, or the one just submitted. Without JavaScript, choosing another kind and saving
shows that kind's fields again, with their errors; static/delivery/target_kind.js switches them at once.
"""

from typing import Any

from wagtail.admin.panels import FieldPanel, MultiFieldPanel


def chosen_kind(form: Any, instance: Any) -> str:
    """The kind the form stands for: the submitted one (a bound form), else the target's."""
    if form is not None and form.is_bound:
        return str(form.data.get(form.add_prefix("kind"), ""))
    return str(getattr(instance, "kind", ""))


def kind_attrs(attrs: dict[str, Any], kinds: tuple[str, ...], form: Any, instance: Any) -> dict[str, Any]:
    return {**attrs, "data-target-kinds": " ".join(kinds), "hidden": chosen_kind(form, instance) not in kinds}


class KindPanelMixin:
    """A panel of some kinds of target only (`kinds`), kept when Wagtail clones the panel."""

    def __init__(self, *args: Any, kinds: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = kinds

    def clone_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().clone_kwargs()  # type: ignore[misc]
        return {**kwargs, "kinds": self.kinds}


class KindBoundPanelMixin:
    """Its bound panel: hidden unless the form's kind is one of the panel's."""

    panel: Any
    form: Any
    instance: Any

    @property
    def attrs(self) -> dict[str, Any]:
        return kind_attrs(self.panel.attrs, self.panel.kinds, self.form, self.instance)


class KindFieldPanel(KindPanelMixin, FieldPanel):
    """A field of some kinds of target only."""

    class BoundPanel(KindBoundPanelMixin, FieldPanel.BoundPanel):
        pass


class KindMultiFieldPanel(KindPanelMixin, MultiFieldPanel):
    """A group of fields of some kinds of target only."""

    class BoundPanel(KindBoundPanelMixin, MultiFieldPanel.BoundPanel):
        pass
