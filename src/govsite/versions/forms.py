"""The image form: alternative text is required (WCAG 1.1.1, GB/T 37668), a broken file is refused."""

from typing import Any

from django.core.exceptions import ValidationError
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

UNREADABLE_IMAGE = (
    "无法读取这张图片：文件已损坏，或内容与扩展名不符。"
    "请用图片软件重新导出（GIF、JPG、PNG 或 WEBP）后再上传。"
)


class SafeImageField(WagtailImageField):
    """Wagtail's image field; a file the image library cannot decode is a form error, not a 500.

    Willow recognises a GIF by its first bytes, so a truncated one passes that test and Pillow
    only fails later, when Wagtail reads its size (UnidentifiedImageError, OSError, ...).
    """

    def to_python(self, data: Any) -> Any:
        try:
            return super().to_python(data)
        except ValidationError:
            raise
        except Exception as exc:  # whatever the decoder raises on a malformed file
            raise ValidationError(UNREADABLE_IMAGE, code="invalid_image") from exc


class AltTextImageForm(BaseImageForm):
    """Wagtail's image form, with the description (used as the default alt text) made required.

    Wagtail fills an image's alt text in rich text from its description, so requiring it here
    means no image reaches a public page without a text alternative, unless the editor marks it
    decorative when inserting it. Installed with WAGTAILIMAGES_IMAGE_FORM_BASE; it also covers
    the multiple-upload and edit forms, which Wagtail builds from the same base.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        file = self.fields.get("file")
        if isinstance(file, WagtailImageField) and not isinstance(file, SafeImageField):
            self.fields["file"] = SafeImageField(label=file.label, required=file.required, widget=file.widget)
        if field := self.fields.get("description"):
            field.required = True
            field.label = "替代文本（图片说明）"
            field.help_text = (
                "必填。用一句话说明图片的内容或用途，供看不到图片的读者（读屏软件）使用，"
                "如“自治区科技厅办公楼外景”。"
            )
            field.error_messages["required"] = "请填写替代文本：说明图片的内容或用途。"
