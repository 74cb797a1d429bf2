"""The admin form behind every govsite page, and the admin's login form."""

from typing import Any

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from .media_access import MediaAccessFormMixin
from .slugs import MAX_TYPED_SLUG_LENGTH, browser_slug, is_ascii_slug, pinyin_slug, unique_slug


class BasePageForm(MediaAccessFormMixin, WagtailAdminPageForm):
    """Editors need not type a slug, and a slug never stops a save: the server makes it.

    Wagtail's admin script fills the slug from the title's ASCII characters only ("2026年…" → `2026`,
    "…验收 科技…" → `-`), so whatever the browser sent that is empty, invalid, taken or just that
    ASCII residue of a Chinese title becomes the pinyin initials of the title, made unique among the
    page's siblings (`-2`, `-3` …). A valid slug the editor typed is kept (suffixed if a sibling has
    it), and so is the page's own stored slug.

    Documents and images (attachments, rich-text links) must come from the editor's collections.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].validators = []  # checked, and replaced if need be, in clean()
            self.fields[
                "slug"
            ].help_text = (
                "留空则按标题拼音首字母自动生成（如“科技动态”为 kjdt）；与同级页面重复时自动加序号。"
            )

    def clean(self) -> dict[str, Any]:
        if "slug" in self.fields:
            title = self.cleaned_data.get("title") or ""
            sent = (self.cleaned_data.get("slug") or "").strip().lower()
            self.cleaned_data["slug"] = self._server_slug(sent, title)
        return super().clean()

    def _unique_among_siblings(self, base: str) -> str:
        """`base` made unique among the page's siblings (reading only the slugs that start with it:
        a column may hold thousands of articles)."""
        if self.parent_page is None:
            return base
        siblings = self.parent_page.get_children().filter(slug__startswith=base)
        if self.instance.pk:
            siblings = siblings.exclude(pk=self.instance.pk)
        return unique_slug(base, siblings.values_list("slug", flat=True))

    def _server_slug(self, sent: str, title: str) -> str:
        if self.instance.pk and sent and sent == self.instance.slug:
            return self._unique_among_siblings(sent)  # the page's own address stays as it is
        typed = (
            is_ascii_slug(sent)
            and len(sent) <= MAX_TYPED_SLUG_LENGTH
            and (title.isascii() or sent != browser_slug(title))
        )
        return self._unique_among_siblings(sent if typed else pinyin_slug(title) or "page")


class LoginForm(WagtailLoginForm):
    """Wagtail's login form with Chinese labels: its password field has none of its own."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
