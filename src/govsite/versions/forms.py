"""Alternative text is required when an editor uploads or edits an image (WCAG 1.1.1, GB/T 37668)."""

from typing import Any

from wagtail.images.forms import BaseImageForm


class AltTextImageForm(BaseImageForm):
    """Wagtail's image form, with the description (used as the default alt text) made required.

    Wagtail fills an image's alt text in rich text from its description, so requiring it here
    means no image reaches a public page without a text alternative, unless the editor marks it
    decorative when inserting it. Installed with WAGTAILIMAGES_IMAGE_FORM_BASE; it also covers
    the multiple-upload and edit forms, which Wagtail builds from the same base.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if field := self.fields.get("description"):
            field.required = True
            field.label = "替代文本（图片说明）"
            field.help_text = (
                "必填。用一句话说明图片的内容或用途，供看不到图片的读者（读屏软件）使用，"
                "如“自治区科技厅办公楼外景”。"
            )
            field.error_messages["required"] = "请填写替代文本：说明图片的内容或用途。"
