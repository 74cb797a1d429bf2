"""Files and images a page may use: only those its editor may choose (department isolation).

Wagtail's choosers list only the documents and images of the editor's collections, but the page form
accepts any id: an attachment field, `<a linktype="document" id="N">` or `<embed embedtype="image"
id="N">` in rich text. The page form therefore checks every reference it is given against the same
permission policies the choosers use.
"""

import copy
import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from wagtail.blocks import StreamValue, StructValue
from wagtail.blocks.list_block import ListValue
from wagtail.documents import get_document_model
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.permissions import policy_registry
from wagtail.rich_text import RichText
from wagtail.rich_text.rewriters import FIND_EMBED_TAG, extract_attrs

from govsite.core.types import RequestUser

REFUSED_MESSAGE = (
    "{kind}（编号 {ids}）不在您可使用的素材库中，不能使用。请通过“选择{kind}”从本部门素材库中选择。"
)

RICH_TEXT_EMBED = FIND_EMBED_TAG
# Links in stored rich text never nest, so the first closing tag ends the link.
RICH_TEXT_LINK = re.compile(r"<a(\b[^>]*)>(.*?)</a>", re.DOTALL)


def guarded_models() -> dict[type[models.Model], str]:
    """The media models whose use is limited to the collections an editor may choose from."""
    return {get_document_model(): "文件", get_image_model(): "图片"}


def refused_ids(user: RequestUser, model: type[models.Model], ids: Iterable[str]) -> list[str]:
    """The ids among `ids` that `user` may not choose: unknown ids and other collections' items."""
    wanted = sorted(set(ids))
    numeric = [int(pk) for pk in wanted if pk.isdigit()]
    policy = policy_registry.get_by_type(model)
    allowed = {
        str(pk)
        for pk in policy.instances_user_has_any_permission_for(user, ["choose"])
        .filter(pk__in=numeric)
        .values_list("pk", flat=True)
    }
    return [pk for pk in wanted if pk not in allowed]


def media_references(form: forms.BaseForm, name: str, value: Any) -> set[tuple[type[models.Model], str]]:
    """The (model, id) pairs of documents and images that `value` of field `name` refers to."""
    guarded = guarded_models()
    if value is None or value == "":
        return set()
    if isinstance(value, models.Model):
        return {(type(value), str(value.pk))} if type(value) in guarded else set()
    model_field = _model_field(form, name)
    if model_field is None:
        return set()
    if model_field.is_relation and model_field.related_model in guarded:
        return {(model_field.related_model, str(value))}  # an initial value: the primary key
    if not hasattr(model_field, "extract_references"):
        return set()
    return {
        (model, str(object_id))
        for model, object_id, _path, _content in model_field.extract_references(value)
        if model in guarded
    }


def _model_field(form: forms.BaseForm, name: str) -> models.Field[Any, Any] | None:
    meta = getattr(form, "_meta", None)
    model = getattr(meta, "model", None)
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a form field that is not a model field
        return None
    return field if isinstance(field, models.Field) else None  # not a reverse relation


def refuse_unchoosable_media(form: forms.BaseForm, user: RequestUser) -> None:
    """Add an error for every newly used document or image that `user` may not choose.

    What the form was given unchanged (a link put in by a platform administrator) is kept: saving
    the page again must not lose it. A refused item is also taken out of the form shown again, since
    the choosers would display its title or file name, which the editor may not see.
    """
    if not hasattr(form, "cleaned_data"):
        return
    for name, value in list(form.cleaned_data.items()):
        new = media_references(form, name, value) - media_references(form, name, form.initial.get(name))
        refused = {
            model: refused_ids(user, model, [pk for m, pk in new if m is model]) for model in guarded_models()
        }
        messages = [
            REFUSED_MESSAGE.format(kind=kind, ids="、".join(refused[model]))
            for model, kind in guarded_models().items()
            if refused[model]
        ]
        if not messages:
            continue
        model_field = _model_field(form, name)
        if isinstance(model_field, StreamField):
            # A stream's errors belong to its blocks; a plain message goes above the form.
            _forget_refused_in_stream(form, name, value, refused)
            for message in messages:
                form.add_error(None, f"{form.fields[name].label}：{message}")
            continue
        _forget_refused(form, name, value, refused)
        for message in messages:
            form.add_error(name, message)


def _forget_refused(form: forms.BaseForm, name: str, value: Any, refused: dict[type, list[str]]) -> None:
    """Show the field again without the refused items (an attachment: its previous choice)."""
    data = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict (a bound form); typed Mapping
    if isinstance(value, models.Model):
        initial = form.initial.get(name)
        data[form.add_prefix(name)] = "" if initial is None else str(getattr(initial, "pk", initial))
    elif isinstance(value, str):
        html = _without_refused_html(value, refused)
        data[form.add_prefix(name)] = form.fields[name].widget.format_value(html)
    else:
        return
    form.data = data


def _without_refused_html(html: str, refused: dict[type, list[str]]) -> str:
    documents = set(refused.get(get_document_model(), []))
    images = set(refused.get(get_image_model(), []))
    html = RICH_TEXT_EMBED.sub(lambda m: _keep_embed(m, images), html)
    return RICH_TEXT_LINK.sub(lambda m: _keep_link(m, documents), html)


def _without_refused_value(value: Any, refused: dict[type, list[str]]) -> Any:
    """A block value with the refused documents and images taken out (rich text, choosers, nested)."""
    if isinstance(value, RichText):
        return RichText(_without_refused_html(value.source, refused))
    if isinstance(value, models.Model):
        return None if str(value.pk) in refused.get(type(value), []) else value
    if isinstance(value, StreamValue):
        for index, child in enumerate(value):
            value[index] = (child.block_type, _without_refused_value(child.value, refused), child.id)
        return value
    if isinstance(value, StructValue):
        for key in list(value):
            value[key] = _without_refused_value(value[key], refused)
        return value
    if isinstance(value, ListValue):
        for index, item in enumerate(value):
            value[index] = _without_refused_value(item, refused)
        return value
    return value


def _forget_refused_in_stream(
    form: forms.BaseForm, name: str, value: Any, refused: dict[type, list[str]]
) -> None:
    """Show the stream again without the refused items: its widget renders the cleaned stream."""
    cleaned = _without_refused_value(value, refused)
    widget = copy.copy(form.fields[name].widget)
    widget.value_from_datadict = lambda data, files, field_name: cleaned
    form.fields[name].widget = widget


def _keep_embed(match: re.Match[str], refused: set[str]) -> str:
    attrs = extract_attrs(match.group(1))
    return "" if attrs.get("embedtype") == "image" and attrs.get("id") in refused else match.group(0)


def _keep_link(match: re.Match[str], refused: set[str]) -> str:
    attrs = extract_attrs(match.group(1))
    return (
        match.group(2)
        if attrs.get("linktype") == "document" and attrs.get("id") in refused
        else match.group(0)
    )


class MediaAccessFormMixin:
    """Page forms refuse documents and images outside the editor's collections (and in formsets)."""

    for_user: RequestUser | None
    formsets: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        user = self.for_user
        if user is None:
            return cleaned
        refuse_unchoosable_media(self, user)  # type: ignore[arg-type]
        for formset in self.formsets.values():
            for child in formset.forms:
                if child.is_valid() and not (formset.can_delete and formset._should_delete_form(child)):
                    refuse_unchoosable_media(child, user)
        return cleaned
