"""The admin form behind every govsite page, and the admin's login form."""

from typing import Any

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from .media_access import MediaAccessFormMixin
from .slugs import pinyin_slug


class BasePageForm(MediaAccessFormMixin, WagtailAdminPageForm):
    """Editors need not type a slug: an empty one becomes the pinyin initials of the title.

    Documents and images (attachments, rich-text links) must come from the editor's collections.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = "留空则按标题拼音首字母自动生成（如“科技动态”为 kjdt）。"

    def clean(self) -> dict[str, Any]:
        if not self.cleaned_data.get("slug") and self.cleaned_data.get("title"):
            self.cleaned_data["slug"] = self._unique_slug(pinyin_slug(self.cleaned_data["title"]) or "page")
        return super().clean()

    def _unique_slug(self, base: str) -> str:
        siblings = self.parent_page.get_children() if self.parent_page else None
        if siblings is None:
            return base
        if self.instance.pk:
            siblings = siblings.exclude(pk=self.instance.pk)
        taken = set(siblings.filter(slug__startswith=base).values_list("slug", flat=True))
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        return slug


class LoginForm(WagtailLoginForm):
    """Wagtail's login form with Chinese labels: its password field has none of its own."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
