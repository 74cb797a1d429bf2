"""The 公开目录 tab of the article editor."""

from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString
from modelcluster.forms import BaseChildFormSet
from wagtail.admin.panels import FieldPanel, HelpPanel, InlinePanel, ObjectList, PageChooserPanel

from .catalogue import open_gov_column


class OptionalChildFormSet(BaseChildFormSet):
    """The 公开目录 formset: a POST without it (a client or test that knows only the article's own
    fields) leaves the entry as it is instead of failing on the missing management form."""

    @property
    def absent(self) -> bool:
        return bool(self.is_bound) and f"{self.prefix}-TOTAL_FORMS" not in self.data

    def full_clean(self) -> None:
        if self.absent:
            self._errors: list[Any] = []
            self._non_form_errors = self.error_class()
            return
        super().full_clean()

    def save(self, commit: bool = True) -> list[Any]:
        return [] if self.absent else super().save(commit)


class CatalogueInlinePanel(InlinePanel):
    """The entry's form (at most one); outside a 政务公开 column only a notice (the formset's
    management form is still rendered so that saving the article never fails on it)."""

    def get_form_options(self) -> dict[str, Any]:
        options: dict[str, Any] = super().get_form_options()
        options["formsets"][self.relation_name]["formset"] = OptionalChildFormSet
        return options

    class BoundPanel(InlinePanel.BoundPanel):
        def in_scope(self) -> bool:
            page = self.instance
            if page.pk:
                return open_gov_column(page) is not None
            parent = getattr(self.form, "parent_page", None)
            return parent is not None and open_gov_column(parent, inclusive=True) is not None

        def render_html(self, parent_context: Any = None) -> SafeString:
            if self.in_scope():
                html: SafeString = super().render_html(parent_context)
                return html
            # The management form keeps saving possible; the empty template and form container are what
            # Wagtail's InlinePanel script looks up when the editor starts (it fails on a page without).
            prefix = self.formset.prefix
            return format_html(
                '<p class="help-block">{}</p>{}<template id="id_{}-EMPTY_FORM_TEMPLATE"></template>'
                '<div id="id_{}-FORMS" hidden></div>',
                "本文章不在政务公开栏目（栏目类型“信息公开目录”）下，无需填写公开目录信息。",
                self.formset.management_form,
                prefix,
                prefix,
            )


def catalogue_tab() -> ObjectList:
    panels = [
        FieldPanel("subject"),
        FieldPanel("genre"),
        FieldPanel("issuing_organ"),
        FieldPanel("written_date"),
        FieldPanel("document_number"),
        FieldPanel("disclosure_method"),
        FieldPanel("audience"),
        FieldPanel("subject_words"),
        PageChooserPanel("interprets", "govsite_content.ArticlePage"),
        FieldPanel("interpretation_kind"),
    ]
    help_text = (
        "政务公开栏目下的文章列入本网站的公开目录：索引号在首次发布时自动生成，发布后不再改变；"
        "发布日期即文章的发布日期；有效性请用页面顶部的“文件效力”设置。"
    )
    return ObjectList(
        [
            HelpPanel(content=help_text),
            CatalogueInlinePanel(
                "catalogue_entries", panels=panels, min_num=0, max_num=1, label="公开目录信息"
            ),
        ],
        heading="公开目录",
    )
