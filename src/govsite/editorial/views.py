"""Admin views of the 编辑工作台: 站内信, 稿件审批单, 稿件统计 (and its Excel export)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_POST
from wagtail.models import Page

from govsite.sites.models import admin_sites

from . import stats
from .approval import approval_form
from .models import Notification
from .scope import page_scope

MESSAGES_PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- 站内信 ---------------------------------------------------------------------------------
def messages_list(request: HttpRequest) -> HttpResponse:
    """The user's messages, newest first; those shown are marked read (the unread stay bold once)."""
    mine = Notification.objects.filter(recipient_id=request.user.pk)
    shown = list(mine.select_related("page")[:MESSAGES_PER_PAGE])
    unread_ids = [n.pk for n in shown if n.read_at is None]
    if unread_ids:
        mine.filter(pk__in=unread_ids).update(read_at=timezone.now())
    return TemplateResponse(
        request,
        "editorial/messages.html",
        {"notifications": shown, "unread_ids": set(unread_ids), "total": mine.count()},
    )


@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    Notification.objects.filter(recipient_id=request.user.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return redirect("govsite_editorial:messages")


def unread_count(user: Any) -> int:
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


# --- 稿件审批单 -------------------------------------------------------------------------------
def approval(request: HttpRequest, page_id: int) -> HttpResponse:
    """The printable 审批单 of one page of the user's department (another department's: 404)."""
    page = Page.objects.filter(page_scope(request.user), pk=page_id).select_related("owner").first()
    if page is None or page.depth <= 2:
        raise Http404("没有找到该稿件。")
    return TemplateResponse(request, "editorial/approval.html", {"form": approval_form(page)})


# --- 稿件统计 ---------------------------------------------------------------------------------
def statistics(request: HttpRequest) -> HttpResponse:
    """稿件统计 of the sites the user administers; `?export=xlsx` downloads the same as Excel."""
    sites = admin_sites(request.user)
    if not sites:
        raise PermissionDenied
    form = stats.StatisticsForm(request.GET, sites)
    result = None
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        result = stats.compute(form.chosen_sites(), start, end)
        if request.GET.get("export") == "xlsx":
            response = HttpResponse(stats.workbook_bytes(result), content_type=XLSX)
            name = f"稿件统计_{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
            response["Content-Disposition"] = content_disposition_header(True, name)
            return response
    return TemplateResponse(
        request,
        "editorial/statistics.html",
        {"form": form, "stats": result, "export_query": export_query(form)},
    )


def export_query(form: stats.StatisticsForm) -> str:
    """The query string of the Excel download of what the page shows."""
    if not form.is_valid():
        return ""
    data = {"site": form.cleaned_data["site"] or "", "export": "xlsx"}
    data["start"], data["end"] = form.cleaned_data["start"].isoformat(), form.cleaned_data["end"].isoformat()
    return urlencode(data)


app_name = "govsite_editorial"
urlpatterns = [
    path("messages/", messages_list, name="messages"),
    path("messages/read/", mark_all_read, name="mark_all_read"),
    path("pages/<int:page_id>/approval/", approval, name="approval"),
    path("statistics/", statistics, name="statistics"),
]
