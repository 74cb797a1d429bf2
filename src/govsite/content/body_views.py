"""Admin views that rewrite a body: 导入 Word (into a page, or a new article under a column) and
一键排版. Each saves a new draft revision; what is live changes only when it is published."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from wagtail.images import get_image_model
from wagtail.models import Collection, Page
from wagtail.permissions import policy_registry

from govsite.sites.provisioning import department_of

from .body import body_html, stream_data
from .models import ArticlePage, ColumnPage, InfoPage
from .typeset import typeset_stream
from .word_import import ImportedDocument, ImportRefused, read_docx, soffice

BODY_PAGE_TYPES = (ArticlePage, InfoPage)


class WordImportForm(forms.Form):
    file = forms.FileField(label="Word 文件", help_text="支持 .docx；服务器装有 LibreOffice 时也支持 .doc。")
    mode = forms.ChoiceField(
        label="导入方式",
        choices=[("append", "追加到现有正文之后"), ("replace", "替换现有正文")],
        initial="append",
        widget=forms.RadioSelect,
    )
    confirm_replace = forms.BooleanField(
        label="我确认用 Word 文件的内容替换现有正文",
        required=False,
        help_text="替换前的正文仍保存在“修订历史”中，可以恢复。",
    )

    def __init__(self, *args: Any, has_body: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".docx,.doc" if soffice() else ".docx"
        if not has_body:
            del self.fields["mode"], self.fields["confirm_replace"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("mode") == "replace" and not cleaned.get("confirm_replace"):
            self.add_error("confirm_replace", "替换会删除现有正文，请勾选确认后再导入。")
        return cleaned


class NewArticleImportForm(forms.Form):
    file = WordImportForm.base_fields["file"]
    title = forms.CharField(
        label="标题", max_length=255, required=False, help_text="留空则使用 Word 文件中的标题。"
    )
    source = forms.CharField(label="来源", max_length=100)


def department_collection(user: Any, page: Page) -> Collection:
    """Where imported images go: the collection of the page's department, if the user may add to it."""
    site = page.get_site()
    name = department_of(site) if site else None
    collection = Collection.get_first_root_node().get_children().filter(name=name).first() if name else None
    policy = policy_registry.get_by_type(get_image_model())
    allowed = policy.collections_user_has_permission_for(user, "add")
    if collection is None or not allowed.filter(pk=collection.pk).exists():
        raise ImportRefused("您没有向本部门素材库添加图片的权限，无法导入含图片的 Word 文件。")
    return collection


def _editable_body_page(request: HttpRequest, page_id: int) -> Any:
    page = get_object_or_404(Page, pk=page_id).specific
    if not isinstance(page, BODY_PAGE_TYPES) or not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    lock = page.get_lock()
    if lock and lock.for_user(request.user):
        raise PermissionDenied
    return page


def _read(request: HttpRequest, form: forms.Form, page: Page, title_wanted: bool) -> ImportedDocument | None:
    upload = form.cleaned_data["file"]
    try:
        return read_docx(upload.read(), upload.name, department_collection(request.user, page), title_wanted)
    except ImportRefused as exc:
        form.add_error("file", str(exc))
        return None


def _report(request: HttpRequest, page: Page, imported: ImportedDocument) -> None:
    messages.success(
        request,
        f"已从 Word 导入《{page.title}》的正文（{len(imported.blocks)} 段，"
        f"{imported.images} 张图片），已保存为草稿。",
    )
    for warning in dict.fromkeys(imported.warnings):
        messages.warning(request, warning)


def import_word(request: HttpRequest, page_id: int) -> HttpResponse:
    """导入 Word into an existing article or information page (a new draft revision)."""
    page = _editable_body_page(request, page_id)
    draft = page.get_latest_revision_as_object()
    has_body = bool(body_html(draft.body).strip())
    form = WordImportForm(request.POST or None, request.FILES or None, has_body=has_body)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            imported = _read(request, form, page, title_wanted=not draft.title)
            if imported is not None:
                if imported.title and not draft.title:
                    draft.title = imported.title
                keep = stream_data(draft.body) if form.cleaned_data.get("mode", "append") == "append" else []
                draft.body = [*keep, *imported.blocks]
                draft.save_revision(user=request.user, log_action=True)
                _report(request, draft, imported)
                return redirect("wagtailadmin_pages:edit", page.pk)
    context = {"page": page, "form": form, "has_body": has_body, "doc_supported": bool(soffice())}
    return TemplateResponse(request, "content/admin/import_word.html", context)


def import_word_new(request: HttpRequest, parent_id: int) -> HttpResponse:
    """导入 Word as a new draft article in a column."""
    parent = get_object_or_404(ColumnPage, pk=parent_id)
    if not parent.permissions_for_user(request.user).can_add_subpage():
        raise PermissionDenied
    site = parent.get_site()
    form = NewArticleImportForm(
        request.POST or None, request.FILES or None, initial={"source": site.site_name if site else ""}
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            imported = _read(request, form, parent, title_wanted=not form.cleaned_data["title"])
            title = form.cleaned_data["title"] or (imported.title if imported else "")
            if imported is not None and not title:
                form.add_error("title", "Word 文件中没有标题段落，请填写标题。")
                transaction.set_rollback(True)
            elif imported is not None:
                article = ArticlePage(
                    title=title,
                    source=form.cleaned_data["source"],
                    body=imported.blocks,
                    live=False,
                    owner=request.user,
                )
                parent.add_child(instance=article)
                article.save_revision(user=request.user, log_action=True)
                _report(request, article, imported)
                return redirect("wagtailadmin_pages:edit", article.pk)
    context = {"page": parent, "form": form, "new": True, "doc_supported": bool(soffice())}
    return TemplateResponse(request, "content/admin/import_word.html", context)


def typeset(request: HttpRequest, page_id: int) -> HttpResponse:
    """一键排版: the latest version's body normalised, saved as a new draft revision."""
    page = _editable_body_page(request, page_id)
    if request.method == "POST":
        draft = page.get_latest_revision_as_object()
        before = stream_data(draft.body)
        after = typeset_stream(before)
        if after == before:
            messages.info(request, "正文已符合排版要求，无需修改。")
        else:
            draft.body = after
            draft.save_revision(user=request.user, log_action=True)
            messages.success(
                request,
                "一键排版已完成并保存为草稿：标点、空格、空段落和格式已规范，段首缩进由网站样式统一显示。",
            )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return TemplateResponse(request, "content/admin/typeset.html", {"page": page})


admin_urlpatterns = [
    path("pages/<int:page_id>/import-word/", import_word, name="import_word"),
    path("columns/<int:parent_id>/import-word/", import_word_new, name="import_word_new"),
    path("pages/<int:page_id>/typeset/", typeset, name="typeset"),
]
