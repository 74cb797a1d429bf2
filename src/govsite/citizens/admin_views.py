"""The handlers' 找错 list and report page, each through access.py (a handler sees their sites only)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from . import services
from .access import handler_sites, report_for, visible_reports
from .models import ReportStatus


class HandleForm(forms.Form):
    status = forms.ChoiceField(
        label="处理结果",
        choices=[(s, ReportStatus(s).label) for s in services.TRANSITIONS],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择处理结果。", "invalid_choice": "请选择处理结果。"},
    )
    reply = forms.CharField(
        label="处理意见",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="办结（已修正、不予采纳）时必填：写明修正了什么，或不予采纳的理由。",
    )


def _require_handler(request: HttpRequest) -> None:
    if not handler_sites(request.user).exists():
        raise PermissionDenied


def report_list(request: HttpRequest) -> HttpResponse:
    """Reports of the handler's sites, newest first; ?status= filters, ?open=1 shows the open ones."""
    _require_handler(request)
    reports = visible_reports(request.user).select_related("site")
    status = request.GET.get("status", "")
    if status in ReportStatus.values:
        reports = reports.filter(status=status)
    context = {
        "reports": reports[:500],
        "statuses": ReportStatus.choices,
        "status": status,
        "today": timezone.localdate(),
        "many_sites": handler_sites(request.user).count() > 1,
    }
    return TemplateResponse(request, "citizens/admin/report_list.html", context)


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_for(request.user, pk)
    form = HandleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.handle(report, request.user, form.cleaned_data["status"], form.cleaned_data["reply"])
        except services.ReportError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{report.number} 已标记为“{report.get_status_display()}”。")
            return HttpResponseRedirect(reverse("govsite_citizens:report", args=[report.pk]))
    if request.method == "GET":
        services.audit(report, "viewed", request.user)
    context = {"report": report, "form": form, "today": timezone.localdate()}
    status = 400 if form.errors else 200
    return TemplateResponse(request, "citizens/admin/report_detail.html", context, status=status)


urlpatterns = [
    path("", report_list, name="reports"),
    path("<int:pk>/", report_detail, name="report"),
]
