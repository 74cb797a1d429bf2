"""Public views generated from a site's column tree, the answer of a withdrawn page, and the admin
views of the page-lifecycle states 撤稿 and 文件效力."""

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.http import content_disposition_header
from wagtail import hooks
from wagtail.admin.widgets import AdminPageChooser
from wagtail.documents import get_document_model
from wagtail.documents.views.serve import serve as wagtail_serve_document
from wagtail.models import Page, Site

from govsite.versions.registry import STANDARD, versioned_url

from . import body_views, lifecycle, recycle
from .attachments import download_name
from .models import ArticlePage, DocumentValidity, RecycledPage, Withdrawal
from .visibility import listed


def html_sitemap(request: HttpRequest) -> HttpResponse:
    """网站地图: every column, sub-column and information page of this site, as nested lists."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    root = site.root_page.specific
    context = {"page": root, "tree": column_tree(root), "is_sitemap": True}
    return render(request, "content/sitemap.html", context)


def column_tree(root: Page) -> list[dict]:
    """Columns and information pages below `root` (not articles), nested, in tree order."""
    rows = listed(root.get_descendants()).not_type(ArticlePage).order_by("path").specific()
    nodes: dict[str, dict] = {}
    top: list[dict] = []
    for page in rows:
        node = {"page": page, "children": []}
        nodes[page.path] = node
        parent = nodes.get(page.path[: -Page.steplen])
        (parent["children"] if parent else top).append(node)
    return top


# --- public: the answer of a withdrawn page ----------------------------------------------------
def withdrawn_response(request: HttpRequest, page: Page, withdrawal: Withdrawal) -> HttpResponse:
    """Notice (200), notice with 410, or a redirect to the replacement, at the page's own address."""
    replacement = withdrawal.replacement.specific if withdrawal.replacement else None
    if withdrawal.mode == Withdrawal.Mode.REDIRECT and replacement and replacement.live:
        # a 长辈版 reader stays in the 长辈版 (/elder/…), as every link on the page does
        version = getattr(request, "govsite_version", STANDARD)
        url = versioned_url(replacement.get_url(request) or "/", version)
        return redirect(url, permanent=True)
    status = 410 if withdrawal.mode == Withdrawal.Mode.GONE else 200
    context = {
        "page": page,
        "withdrawal": withdrawal,
        "replacement": replacement if replacement and replacement.live else None,
    }
    return render(request, "content/withdrawn_notice.html", context, status=status)


def private_document_file(request: HttpRequest) -> HttpResponse:
    """Document files are reachable only through Wagtail's document view, which checks privacy."""
    raise Http404


# --- admin: 撤稿 and 文件效力 -----------------------------------------------------------------------
def _is_reviewer_of(page: Page, user: Any) -> bool:
    task = page.current_workflow_task
    return bool(task and task.specific.user_can_access_editor(page, user))


def _page_for(request: HttpRequest, page_id: int) -> Page:
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit() and not _is_reviewer_of(page, request.user):
        raise PermissionDenied
    return page


class WithdrawalForm(forms.ModelForm):
    class Meta:
        model = Withdrawal
        fields = ["mode", "reason", "replacement"]
        widgets = {"mode": forms.RadioSelect, "replacement": AdminPageChooser(can_choose_root=False)}


def withdraw(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _page_for(request, page_id)
    if not lifecycle.can_withdraw(page, request.user):
        raise PermissionDenied
    instance = Withdrawal.objects.filter(page=page).first()
    if instance is None and request.method == "GET":  # the confirmation: editorial warns of emptied columns
        for hook in hooks.get_hooks("before_withdraw_page"):
            hook(request, page)
    form = WithdrawalForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle.withdraw(
                page,
                request.user,
                form.cleaned_data["mode"],
                form.cleaned_data["reason"],
                form.cleaned_data["replacement"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"《{page.title}》已撤稿，原网址将显示撤稿处理结果。")
            return redirect("wagtailadmin_pages:edit", page.pk)
    return TemplateResponse(
        request, "content/admin/withdraw.html", {"page": page, "form": form, "withdrawal": instance}
    )


def restore(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _page_for(request, page_id)
    if request.method != "POST":
        return redirect("govsite_content:withdraw", page.pk)
    lifecycle.restore(page, request.user)
    messages.success(request, f"《{page.title}》已恢复发布。")
    return redirect("wagtailadmin_pages:edit", page.pk)


class ValidityForm(forms.ModelForm):
    class Meta:
        model = DocumentValidity
        fields = ["status", "replaced_by", "note"]
        widgets = {"status": forms.RadioSelect, "replaced_by": AdminPageChooser(can_choose_root=False)}


def validity(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _page_for(request, page_id)
    form = ValidityForm(request.POST or None, instance=DocumentValidity.objects.filter(page=page).first())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lifecycle.set_validity(page, request.user, data["status"], data["replaced_by"], data["note"])
        messages.success(request, f"《{page.title}》的文件效力已设为“{data['status']}”。")
        return redirect("wagtailadmin_pages:edit", page.pk)
    return TemplateResponse(request, "content/admin/validity.html", {"page": page, "form": form})


# --- admin: 回收站 ------------------------------------------------------------------------------------
def recycle_bin(request: HttpRequest) -> HttpResponse:
    """The pages of the user's department in the bin, newest deletion first, with who and when."""
    entries = list(recycle.entries_for(request.user)[:500])
    rows = [
        {
            "entry": entry,
            "parent": entry.page.get_parent(),
            "can_purge": recycle.may_purge(entry, request.user),
            "purge_on": entry.deleted_at + timedelta(days=recycle.KEEP_DAYS),
        }
        for entry in entries
    ]
    context = {"rows": rows, "keep_days": recycle.KEEP_DAYS}
    return TemplateResponse(request, "content/admin/recycle_bin.html", context)


def _entry_for(request: HttpRequest, entry_id: int) -> RecycledPage:
    """A bin entry loaded by id is checked like the list that shows it (department isolation)."""
    entry = get_object_or_404(RecycledPage.objects.select_related("page"), pk=entry_id)
    if not recycle.may_restore(entry, request.user):
        raise PermissionDenied
    return entry


def recycle_restore(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _entry_for(request, entry_id)
    if request.method != "POST":
        return redirect("govsite_content:recycle_bin")
    page = recycle.restore(entry, request.user)
    messages.success(request, f"《{page.title}》已恢复到原栏目，当前为草稿，请重新提交发布。")
    return redirect("wagtailadmin_pages:edit", page.pk)


def recycle_purge(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _entry_for(request, entry_id)
    if not recycle.may_purge(entry, request.user):
        raise PermissionDenied
    if request.method != "POST":
        return redirect("govsite_content:recycle_bin")
    title = entry.title
    recycle.purge(entry, request.user)
    messages.success(request, f"《{title}》已彻底删除。")
    return redirect("govsite_content:recycle_bin")


app_name = "govsite_content"
admin_urlpatterns = [
    path("pages/<int:page_id>/withdraw/", withdraw, name="withdraw"),
    path("pages/<int:page_id>/restore/", restore, name="restore"),
    path("pages/<int:page_id>/validity/", validity, name="validity"),
    path("recycle-bin/", recycle_bin, name="recycle_bin"),
    path("recycle-bin/<int:entry_id>/restore/", recycle_restore, name="recycle_restore"),
    path("recycle-bin/<int:entry_id>/purge/", recycle_purge, name="recycle_purge"),
    *body_views.admin_urlpatterns,
]


def serve_document(request: HttpRequest, document_id: int, document_filename: str) -> HttpResponse:
    """Wagtail's document view (privacy, ETag, sendfile), with the download named as it was uploaded:
    without the suffix the storage added to a taken name."""
    response: HttpResponse = wagtail_serve_document(request, document_id, document_filename)
    disposition = response.get("Content-Disposition", "")
    if response.status_code == 200 and disposition:
        document = get_document_model().objects.get(pk=document_id)
        header = content_disposition_header(disposition.startswith("attachment"), download_name(document))
        if header:
            response["Content-Disposition"] = header
    return response
